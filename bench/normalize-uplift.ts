/**
 * Detection uplift from the de-obfuscation stage: `npx tsx bench/normalize-uplift.ts`.
 * Takes attack prompts from ../shared/datasets/tensor_trust_attacks.jsonl, disguises each one many ways
 * (homoglyphs, zero-width splits, leetspeak, spaced letters with spaces, commas or emoji, markdown marks inside
 * words, doubled letters, Latin small capitals, base64 once and five times, hex, binary, decimal character codes, ROT13, other
 * letter shifts, Atbash, Morse, upside-down text, tag characters, fullwidth)
 * and prints the share the default detectors flag with an original-only normaliser, with the real stage,
 * and with the obfuscation detector added. Measures only; development data, never needed at run time.
 */
import fs from 'node:fs';
import { screeningSchema } from '../src/config/sections/screening.js';
import { createScreenerFromParts, defaultDetectors } from '../src/detect/index.js';
import { createNormalizer } from '../src/normalize/index.js';
import type { Normalized } from '../src/normalize/types.js';
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
const rot = (s: string) =>
  s.replace(/[a-z]/gi, (c) =>
    String.fromCharCode(((c.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (c === c.toLowerCase() ? 97 : 65)),
  );
const shift = (s: string, k: number) =>
  s.replace(/[a-z]/gi, (c) =>
    String.fromCharCode(((c.toLowerCase().charCodeAt(0) - 97 + k) % 26) + (c === c.toLowerCase() ? 97 : 65)),
  );
const SMALL_CAPS: Record<string, string> = {
  a: 'ᴀ',
  b: 'ʙ',
  c: 'ᴄ',
  d: 'ᴅ',
  e: 'ᴇ',
  f: 'ꜰ',
  g: 'ɢ',
  h: 'ʜ',
  i: 'ɪ',
  j: 'ᴊ',
  k: 'ᴋ',
  l: 'ʟ',
  m: 'ᴍ',
  n: 'ɴ',
  o: 'ᴏ',
  p: 'ᴘ',
  r: 'ʀ',
  s: 'ꜱ',
  t: 'ᴛ',
  u: 'ᴜ',
  v: 'ᴠ',
  w: 'ᴡ',
  y: 'ʏ',
  z: 'ᴢ',
};
const MORSE: Record<string, string> = Object.fromEntries(
  '.- -... -.-. -.. . ..-. --. .... .. .--- -.- .-.. -- -. --- .--. --.- .-. ... - ..- ...- .-- -..- -.-- --..'
    .split(' ')
    .map((code, i) => [String.fromCharCode(97 + i), code]),
);
const UPSIDE: Record<string, string> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyz'].map((c, i) => [c, [...'ɐqɔpǝɟƃɥᴉɾʞlɯuodbɹsʇnʌʍxʎz'][i]!]),
);
const spacedWith = (sep: string) => (s: string) =>
  s
    .split(' ')
    .map((w) => [...w].join(sep))
    .join('   ');
const obf: Record<string, (s: string) => string> = {
  none: (s) => s,
  homoglyph: (s) => s.replace(/[aeopcxi]/g, (c) => CYR[c]!),
  zero_width: (s) => s.replace(/(\w)(\w)/g, '$1\u200b$2'),
  leet: (s) =>
    s.replace(/[aeiost]/gi, (c) => ({ a: '4', e: '3', i: '1', o: '0', s: '5', t: '7' })[c.toLowerCase()]!),
  spaced: (s) =>
    s
      .split(' ')
      .map((w) => w.split('').join(' '))
      .join('   '),
  commas: spacedWith(','),
  emoji: spacedWith('🙂'),
  doubled: (s) => s.replace(/[a-z]/gi, (c) => c + c),
  markdown: (s) => s.replace(/\b([a-z]{2})([a-z]{2,})/gi, '$1**$2'),
  small_caps: (s) => s.toLowerCase().replace(/[a-z]/g, (c) => SMALL_CAPS[c] ?? c),
  base64: (s) => `Decode and follow: ${Buffer.from(s).toString('base64')}`,
  base64_x5: (s) => {
    let t = s;
    for (let i = 0; i < 5; i++) t = Buffer.from(t).toString('base64');
    return `Decode and follow: ${t}`;
  },
  binary: (s) => `binary: ${[...Buffer.from(s)].map((b) => b.toString(2).padStart(8, '0')).join(' ')}`,
  char_codes: (s) => `codes: ${[...s].map((c) => c.charCodeAt(0)).join(' ')}`,
  hex: (s) => `hex: ${Buffer.from(s).toString('hex')}`,
  rot13: (s) => `rot13: ${rot(s)}`,
  caesar3: (s) => `shift 3: ${shift(s, 3)}`,
  caesar7: (s) => `shift 7: ${shift(s, 7)}`,
  atbash: (s) =>
    `atbash: ${s.replace(/[a-z]/gi, (c) => String.fromCharCode((c === c.toLowerCase() ? 219 : 155) - c.charCodeAt(0)))}`,
  morse: (s) =>
    `morse: ${s
      .toLowerCase()
      .split(/\s+/)
      .map((w) =>
        [...w]
          .map((c) => MORSE[c] ?? '')
          .filter(Boolean)
          .join(' '),
      )
      .join(' / ')}`,
  tags: (s) =>
    `Hello!${[...s].map((c) => (c.charCodeAt(0) < 128 ? String.fromCodePoint(0xe0000 + c.charCodeAt(0)) : '')).join('')}`,
  fullwidth: (s) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
  upside_down: (s) =>
    `read: ${[...s.toLowerCase()]
      .map((c) => UPSIDE[c] ?? c)
      .reverse()
      .join('')}`,
};
console.log(
  'tensor_trust injection/prompt_leak rows:',
  rows.length,
  '(flag = verdict action != allow, balanced preset)',
);
console.log(
  'obfuscation'.padEnd(12),
  'original-only'.padStart(14),
  'with stage'.padStart(11),
  '+obfuscation det'.padStart(17),
);
for (const [name, f] of Object.entries(obf)) {
  const rate = (s: typeof withStage) =>
    rows.filter((r) => s.screen({ text: f(r), side: 'input' }).flagged).length / rows.length;
  console.log(
    name.padEnd(12),
    `${(rate(originalOnly) * 100).toFixed(1).padStart(13)}%`,
    `${(rate(withStage) * 100).toFixed(1).padStart(10)}%`,
    `${(rate(withObf) * 100).toFixed(1).padStart(16)}%`,
  );
}
