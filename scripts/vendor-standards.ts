/**
 * Extracts the parts of MITRE ATLAS and the OWASP LLM Top 10 2025 that the product ships (ids, names,
 * tactics) from ../shared/standards into vendor/standards/. Run: npx tsx scripts/vendor-standards.ts
 * The product never reads ../shared at run time; this script is the only bridge.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '..');
const shared = resolve(process.argv[2] ?? join(root, '..', 'shared', 'standards'));
const out = join(root, 'vendor', 'standards');

interface AtlasEntry {
  id: string;
  name: string;
  'object-type'?: string;
  tactics?: string[];
  'subtechnique-of'?: string;
  maturity?: string;
}

const atlas = parse(readFileSync(join(shared, 'mitre-atlas/dist/ATLAS.yaml'), 'utf8'), {
  maxAliasCount: -1,
}) as {
  version: string;
  matrices: { tactics: AtlasEntry[]; techniques: AtlasEntry[] }[];
};
const matrix = atlas.matrices[0]!;
const techniques = matrix.techniques.map((t) => ({
  id: t.id,
  name: t.name,
  ...(t.tactics ? { tactics: t.tactics } : {}),
  ...(t['subtechnique-of'] ? { parent: t['subtechnique-of'] } : {}),
  ...(t.maturity ? { maturity: t.maturity } : {}),
}));
const tactics = matrix.tactics.map((t) => ({ id: t.id, name: t.name }));
writeFileSync(
  join(out, 'mitre-atlas.json'),
  `${JSON.stringify({ source: 'mitre-atlas/atlas-data dist/ATLAS.yaml', version: atlas.version, license: 'Apache-2.0', tactics, techniques }, null, 1)}\n`,
);
copyFileSync(join(shared, 'mitre-atlas/LICENSE'), join(out, 'LICENSE.mitre-atlas'));

const owasp = JSON.parse(
  readFileSync(join(shared, 'owasp-llm-top10-2025/owasp_llm_top10_2025.json'), 'utf8'),
);
writeFileSync(join(out, 'owasp-llm-top10-2025.json'), `${JSON.stringify(owasp, null, 1)}\n`);
copyFileSync(
  join(shared, 'owasp-llm-top10-2025/SOURCE_LICENSE.md'),
  join(out, 'LICENSE.owasp-llm-top10-2025.md'),
);
console.log(
  `vendored ATLAS ${atlas.version}: ${tactics.length} tactics, ${techniques.length} techniques; OWASP ${owasp.items.length} items`,
);
