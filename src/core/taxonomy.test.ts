import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORY_INFO, OBFUSCATION_ATLAS } from './taxonomy.js';
import { CATEGORIES } from './types.js';

const vendor = join(import.meta.dirname, '..', '..', 'vendor', 'standards');
const atlas = JSON.parse(readFileSync(join(vendor, 'mitre-atlas.json'), 'utf8')) as {
  techniques: { id: string }[];
};
const owasp = JSON.parse(readFileSync(join(vendor, 'owasp-llm-top10-2025.json'), 'utf8')) as {
  items: { id: string }[];
};
const atlasIds = new Set(atlas.techniques.map((t) => t.id));
const owaspIds = new Set(owasp.items.map((i) => i.id));

describe('category taxonomy', () => {
  it('covers every category', () => {
    expect(Object.keys(CATEGORY_INFO).sort()).toEqual([...CATEGORIES].sort());
  });

  it.each(CATEGORIES)('%s maps to real OWASP LLM 2025 and ATLAS ids', (category) => {
    const info = CATEGORY_INFO[category];
    expect(info.owasp.length).toBeGreaterThan(0);
    expect(info.atlas.length).toBeGreaterThan(0);
    for (const id of info.owasp) expect(owaspIds.has(id), id).toBe(true);
    for (const id of info.atlas) expect(atlasIds.has(id), id).toBe(true);
  });

  it('names a real ATLAS technique for obfuscation', () => {
    expect(atlasIds.has(OBFUSCATION_ATLAS)).toBe(true);
  });
});
