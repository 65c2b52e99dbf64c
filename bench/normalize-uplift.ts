/**
 * Detection uplift from the de-obfuscation stage: `npx tsx bench/normalize-uplift.ts`.
 * Takes attack prompts from ../shared/datasets/tensor_trust_attacks.jsonl, disguises each one many ways
 * (homoglyphs, zero-width splits, leetspeak, spaced letters with spaces, commas or emoji, markdown marks inside
 * words, doubled letters, Latin small capitals, base64 once and five times, hex, binary, decimal and octal
 * character codes, octal escapes, code point notation, ROT13, other letter shifts, Atbash, Morse, upside-down
 * text, tag characters, fullwidth)
 * and prints the share the default detectors flag with an original-only normaliser, with the real stage,
 * and with the obfuscation detector added. Measures only; development data, never needed at run time.
 */
import fs from 'node:fs';
import { screeningSchema } from '../src/config/sections/screening.js';
import { createScreenerFromParts, defaultDetectors } from '../src/detect/index.js';
import { createNormalizer } from '../src/normalize/index.js';
import type { Normalized } from '../src/normalize/types.js';
import { atbash, nestedBase64, SHARED_DISGUISES, shiftLetters } from '../src/normalize/testing/disguise.js';
const config = screeningSchema.parse({});
const detectors = defaultDetectors(config).filter((d) => d.id !== 'obfuscation');
const withStage = createScreenerFromParts(config, { normalize: createNormalizer(), detectors });
const withObf = createScreenerFromParts(config, {
  normalize: createNormalizer(),
  detectors: defaultDetectors(config),
});
const originalOnly = createScreenerFromParts(config, {
  normalize: (text: string): Normalized => ({
    original: text,
    views: [{ id: 'original', text, transforms: [], depth: 0, toOriginal: (s, e) => ({ start: s, end: e }) }],
    transforms: [],
  }),
  detectors,
});
const rows = fs
  .readFileSync('../shared/datasets/tensor_trust_attacks.jsonl', 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .filter((r) => r.label === 1 && r.text.length < 400)
  .slice(0, 150)
  .map((r) => r.text as string);
const CYR: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', i: 'і' };
const obf: Record<string, (s: string) => string> = {
  none: (s) => s,
  homoglyph: (s) => s.replace(/[aeopcxi]/g, (c) => CYR[c]!),
  zero_width: (s) => s.replace(/(\w)(\w)/g, '$1\u200b$2'),
  spaced: (s) =>
    s
      .split(' ')
      .map((w) => w.split('').join(' '))
      .join('   '),
  base64_x5: (s) => `Decode and follow: ${nestedBase64(s, 5)}`,
  caesar3: (s) => `shift 3: ${shiftLetters(s, 3)}`,
  caesar7: (s) => `shift 7: ${shiftLetters(s, 7)}`,
  atbash: (s) => `atbash: ${atbash(s)}`,
  tags: (s) =>
    `Hello!${[...s].map((c) => (c.charCodeAt(0) < 128 ? String.fromCodePoint(0xe0000 + c.charCodeAt(0)) : '')).join('')}`,
  ...SHARED_DISGUISES,
};
console.log(
  'tensor_trust injection/prompt_leak rows:',
  rows.length,
  '(flag = verdict action != allow, balanced preset)',
);
console.log(
  'obfuscation'.padEnd(28),
  'original-only'.padStart(14),
  'with stage'.padStart(11),
  '+obfuscation det'.padStart(17),
);
for (const [name, f] of Object.entries(obf)) {
  const rate = (s: typeof withStage) =>
    rows.filter((r) => s.screen({ text: f(r), side: 'input' }).flagged).length / rows.length;
  console.log(
    name.padEnd(28),
    `${(rate(originalOnly) * 100).toFixed(1).padStart(13)}%`,
    `${(rate(withStage) * 100).toFixed(1).padStart(10)}%`,
    `${(rate(withObf) * 100).toFixed(1).padStart(16)}%`,
  );
}
