import { isAscii } from '../core/text.js';
/**
 * Cheap language signals for "switched language after a refusal": the dominant writing script, a stop-word
 * guess among common Latin-script languages, and the programming language a request is about. Good enough to
 * notice a switch (English → Russian, Python → VBScript); not a general language identifier.
 */

const SCRIPTS: [string, RegExp][] = [
  ['latin', /\p{Script=Latin}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['greek', /\p{Script=Greek}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['han', /\p{Script=Han}/u],
  ['thai', /\p{Script=Thai}/u],
];

const STOPWORDS: Record<string, ReadonlySet<string>> = {
  en: new Set('the and is are to of in that it for with you this how what can write please'.split(' ')),
  es: new Set('el la los las de que y en un una es por para con como qué cómo escribe'.split(' ')),
  fr: new Set('le la les de des et est un une que pour dans avec comment écris vous je'.split(' ')),
  de: new Set('der die das und ist nicht ein eine zu mit wie für ich sie schreibe'.split(' ')),
  pt: new Set('o a os as de que e em um uma para com não como você escreva'.split(' ')),
  it: new Set('il lo la gli di che e è un una per con non come scrivi'.split(' ')),
  nl: new Set('de het een en is van dat niet met voor hoe schrijf ik je'.split(' ')),
  tr: new Set('ve bir bu da de için ile ne nasıl yaz ben sen'.split(' ')),
};

/** word → languages it is a stop word of, so a text is scanned once. */
const STOPWORD_INDEX = new Map<string, string[]>();
for (const [lang, words] of Object.entries(STOPWORDS)) {
  for (const word of words) STOPWORD_INDEX.set(word, [...(STOPWORD_INDEX.get(word) ?? []), lang]);
}

const LETTER = /\p{L}/u;
/** Longest stop word, in UTF-16 units: longer words need no lookup. */
const LONGEST_STOPWORD = Math.max(...[...STOPWORD_INDEX.keys()].map((w) => w.length));
const SAMPLE = 2000;

/** `latin:en`, `latin` (Latin, language unknown), `cyrillic`, `han`, ...; '' when there are no letters. */
export function detectLanguage(text: string): string {
  const sample = text.length > SAMPLE ? text.slice(0, SAMPLE) : text;
  const counts = new Map<string, number>();
  let letters = 0;
  let ascii = 0;
  for (let i = 0; i < sample.length; i++) {
    const unit = sample.charCodeAt(i);
    // Fast path for ASCII, by far the commonest: no string per character.
    if (unit < 0x80) {
      if ((unit >= 65 && unit <= 90) || (unit >= 97 && unit <= 122)) ascii += 1;
      continue;
    }
    const code = sample.codePointAt(i)!;
    if (code > 0xffff) i += 1;
    const ch = String.fromCodePoint(code);
    if (!LETTER.test(ch)) continue;
    letters += 1;
    for (const [name, re] of SCRIPTS) {
      if (re.test(ch)) {
        counts.set(name, (counts.get(name) ?? 0) + 1);
        break;
      }
    }
  }
  if (ascii > 0) counts.set('latin', (counts.get('latin') ?? 0) + ascii);
  letters += ascii;
  if (letters === 0) return '';
  let script = '';
  let best = 0;
  for (const [name, n] of counts) if (n > best) [script, best] = [name, n];
  // Japanese mixes Han and Kana: any real share of Kana means Japanese.
  if (script === 'han' && (counts.get('kana') ?? 0) > letters * 0.1) script = 'kana';
  if (script !== 'latin') return script;
  const hits = new Map<string, number>();
  const lower = sample.toLowerCase();
  const count = (word: string) => {
    const langs = STOPWORD_INDEX.get(word);
    if (langs) for (const l of langs) hits.set(l, (hits.get(l) ?? 0) + 1);
  };
  if (letters === ascii && isAscii(sample)) {
    // Plain ASCII (most traffic): words are runs of a-z, and only words no longer than the longest stop word
    // need a lookup, so most words cost no string and no match object.
    const n = lower.length;
    let i = 0;
    while (i < n) {
      let c = lower.charCodeAt(i);
      if (c < 97 || c > 122) {
        i++;
        continue;
      }
      const start = i;
      do {
        i++;
        c = i < n ? lower.charCodeAt(i) : 0;
      } while (c >= 97 && c <= 122);
      if (i - start <= LONGEST_STOPWORD) count(lower.slice(start, i));
    }
  } else {
    for (const match of lower.matchAll(/\p{L}+/gu)) count(match[0]);
  }
  let lang = '';
  let most = 1; // need at least two stop-word hits to name a language
  for (const [name, n] of hits) if (n > most) [lang, most] = [name, n];
  return lang ? `latin:${lang}` : 'latin';
}

/** Mentions ("in python", "a vbscript", "powershell one-liner") and syntax cues, in priority order. */
const CODE_LANGUAGES: [string, RegExp][] = [
  ['vbscript', /\b(vbscript|vbs|vba|visual basic|end sub|createobject\()/i],
  ['powershell', /\b(powershell|pwsh|invoke-expression|write-host|get-childitem)\b/i],
  ['python', /\b(python|py3|pip install|def \w+\(|import (os|sys|socket|requests|subprocess))\b/i],
  ['javascript', /\b(javascript|node\.?js|typescript|console\.log|require\(|=> \{)/i],
  ['bash', /(\bbash\b|\bshell script\b|#!\/bin\/(ba)?sh|\bsudo\b|\bchmod\b)/i],
  ['csharp', /(\bc#|\bcsharp\b|\.net\b|\busing system;)/i],
  ['cpp', /(\bc\+\+|\bcpp\b|#include\s*<)/i],
  ['go', /\b(golang|go func|package main)\b/i],
  ['rust', /\b(rust|fn main\(\)|cargo)\b/i],
  ['java', /\b(java(?!script)|public static void main)\b/i],
  ['php', /(\bphp\b|<\?php)/i],
  ['ruby', /\b(ruby|rails)\b/i],
  ['perl', /\bperl\b/i],
  ['lua', /\blua\b/i],
  ['assembly', /\b(assembly|x86 asm|shellcode|nasm)\b/i],
  ['batch', /\b(batch file|\.bat\b|cmd\.exe)/i],
  ['sql', /\b(sql|select \* from|union select)\b/i],
];

/** The programming language a text is about or contains, '' when none is evident. */
// One pass to rule out the common case (no code at all) before trying each language in priority order.
const ANY_CODE = new RegExp(CODE_LANGUAGES.map(([, re]) => `(?:${re.source})`).join('|'), 'i');

export function detectCodeLanguage(text: string): string {
  const sample = text.length > SAMPLE * 2 ? text.slice(0, SAMPLE * 2) : text;
  if (!ANY_CODE.test(sample)) return '';
  for (const [name, re] of CODE_LANGUAGES) if (re.test(sample)) return name;
  return '';
}
