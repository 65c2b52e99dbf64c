/**
 * Compact table of the common cross-script look-alikes of ASCII letters (a hand-picked subset of Unicode
 * UTS #39 confusables): Cyrillic, Greek, Armenian, Cherokee, and Latin small capitals / IPA letters used to
 * dodge keyword filters. Fullwidth, mathematical alphanumerics, circled and other compatibility forms are
 * handled by NFKC before this table applies. Every entry maps one code point to one lowercase ASCII letter,
 * so folding never changes offsets.
 */
const PAIRS: Record<string, string> = {
  // Cyrillic
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  ѕ: 's',
  і: 'i',
  ј: 'j',
  һ: 'h',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  ӏ: 'l',
  ү: 'y',
  ԍ: 'g',
  ɢ: 'g',
  А: 'a',
  В: 'b',
  Е: 'e',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Т: 't',
  Х: 'x',
  У: 'y',
  Ѕ: 's',
  І: 'i',
  Ј: 'j',
  Ү: 'y',
  Һ: 'h',
  Ԁ: 'd',
  Ԛ: 'q',
  Ԝ: 'w',
  Ӏ: 'l',
  Ԍ: 'g',
  // Greek
  α: 'a',
  ο: 'o',
  ν: 'v',
  ρ: 'p',
  ι: 'i',
  κ: 'k',
  υ: 'u',
  χ: 'x',
  γ: 'y',
  ϲ: 'c',
  ϳ: 'j',
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'i',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
  Ϲ: 'c',
  Ϳ: 'j',
  // Armenian
  օ: 'o',
  ս: 'u',
  ո: 'n',
  հ: 'h',
  զ: 'q',
  ց: 'g',
  Օ: 'o',
  Ս: 'u',
  // Cherokee capitals
  Ꭺ: 'a',
  Ᏼ: 'b',
  Ꮯ: 'c',
  Ꭰ: 'd',
  Ꭼ: 'e',
  Ꮐ: 'g',
  Ꮋ: 'h',
  Ꭻ: 'j',
  Ꮶ: 'k',
  Ꮮ: 'l',
  Ꮇ: 'm',
  Ꮲ: 'p',
  Ꭱ: 'r',
  Ꮪ: 's',
  Ꮤ: 't',
  Ꮩ: 'v',
  Ꮃ: 'w',
  Ꮓ: 'z',
  // Latin small capitals and IPA letters
  ᴀ: 'a',
  ʙ: 'b',
  ᴄ: 'c',
  ᴅ: 'd',
  ᴇ: 'e',
  ꜰ: 'f',
  ʜ: 'h',
  ɪ: 'i',
  ᴊ: 'j',
  ᴋ: 'k',
  ʟ: 'l',
  ᴍ: 'm',
  ɴ: 'n',
  ᴏ: 'o',
  ᴘ: 'p',
  ʀ: 'r',
  ꜱ: 's',
  ᴛ: 't',
  ᴜ: 'u',
  ᴠ: 'v',
  ᴡ: 'w',
  ʏ: 'y',
  ᴢ: 'z',
  ɑ: 'a',
  ɡ: 'g',
  ɩ: 'i',
  ǀ: 'l',
};

// Every entry is in the BMP: a flat table makes the lookup one array read.
const TABLE = new Uint8Array(0x10000);
for (const [from, to] of Object.entries(PAIRS)) TABLE[from.codePointAt(0)!] = to.charCodeAt(0);

/** Lowercase ASCII code of the letter `cp` imitates, or 0. */
export function confusableOf(cp: number): number {
  return cp < 0x180 || cp > 0xffff ? 0 : TABLE[cp]!;
}

/** Small capitals and IPA letters are Latin script; the rest of the table is another script. */
export function isLatinConfusable(cp: number): boolean {
  return (
    (cp >= 0x1d00 && cp <= 0x1d7f) ||
    (cp >= 0x250 && cp <= 0x2af) ||
    cp === 0xa730 ||
    cp === 0xa731 ||
    cp === 0x1c0
  );
}
