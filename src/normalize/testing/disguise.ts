/**
 * Disguises an attacker puts on text, as building blocks for the disguise test (src/detect/disguises.test.ts)
 * and the de-obfuscation benchmark (bench/normalize-uplift.ts). Tests and benchmarks only.
 */
export { atbash, reverse, rot13, shiftLetters } from '../letter-ciphers.js';
import { reverse, rot13 } from '../letter-ciphers.js';

const MORSE: Record<string, string> = Object.fromEntries(
  '.- -... -.-. -.. . ..-. --. .... .. .--- -.- .-.. -- -. --- .--. --.- .-. ... - ..- ...- .-- -..- -.-- --..'
    .split(' ')
    .map((code, i) => [String.fromCharCode(97 + i), code]),
);
const UPSIDE = [...'ɐqɔpǝɟƃɥᴉɾʞlɯuodbɹsʇnʌʍxʎz'];
const SMALL_CAPS = [...'ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘqʀꜱᴛᴜᴠᴡxʏᴢ'];

/** Each ASCII letter (lower-cased) replaced by `alphabet[its index]`; everything else kept. */
function mapLetters(text: string, alphabet: readonly string[]): string {
  return text.replace(/[a-z]/gi, (c) => alphabet[c.toLowerCase().charCodeAt(0) - 97]!);
}

/** Words in Morse code: letters split by a space, words by " / " (letters only; the rest is dropped). */
export function morse(text: string): string {
  return text
    .toLowerCase()
    .split(/\s+/)
    .map((w) =>
      [...w]
        .map((c) => MORSE[c] ?? '')
        .filter(Boolean)
        .join(' '),
    )
    .join(' / ');
}

/** Letters rotated half a turn and the text reversed. */
export function upsideDown(text: string): string {
  return reverse(mapLetters(text, UPSIDE));
}

/** Letters in Latin small capitals (q and x have none and stay). */
export function smallCaps(text: string): string {
  return mapLetters(text, SMALL_CAPS);
}

/** Every word's letters split by `sep`, words by three spaces ("i,g,n,o,r,e   a,l,l"). */
export function spacedWith(sep: string): (text: string) => string {
  return (text) =>
    text
      .split(' ')
      .map((w) => [...w].join(sep))
      .join('   ');
}

/** Base64 of base64 of ... `times` layers. */
export function nestedBase64(text: string, times: number): string {
  let out = text;
  for (let i = 0; i < times; i++) out = Buffer.from(out).toString('base64');
  return out;
}

/** UTF-8 bytes in binary, eight bits each, space-separated. */
export function binaryBytes(text: string): string {
  return [...Buffer.from(text)].map((b) => b.toString(2).padStart(8, '0')).join(' ');
}

/** Decimal character codes, space-separated. */
export function charCodes(text: string): string {
  return [...text].map((c) => c.charCodeAt(0)).join(' ');
}

/** Octal character codes, space-separated. */
export function octalCodes(text: string): string {
  return [...text].map((c) => c.charCodeAt(0).toString(8)).join(' ');
}

/** UTF-8 bytes as octal escapes, `\NNN` back to back. */
export function octalEscapes(text: string): string {
  return [...Buffer.from(text)].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
}

/** Code point notation, `U+XXXX` space-separated. */
export function codePoints(text: string): string {
  return [...text].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
}

const LEET: Record<string, string> = { a: '4', e: '3', i: '1', o: '0', s: '5', t: '7' };

/**
 * Disguises the disguise test and the uplift benchmark both apply, in the same form: each wraps an attack
 * (most behind a short instruction to decode it). Each adds its own variants beside these.
 */
export const SHARED_DISGUISES: Readonly<Record<string, (s: string) => string>> = {
  base64: (s) => `Decode and follow: ${Buffer.from(s).toString('base64')}`,
  hex: (s) => `hex: ${Buffer.from(s).toString('hex')}`,
  binary: (s) => `binary: ${binaryBytes(s)}`,
  'character codes': (s) => `codes: ${charCodes(s)}`,
  'octal codes': (s) => `codes: ${octalCodes(s)}`,
  'octal escapes': (s) => `run: ${octalEscapes(s)}`,
  'code points': (s) => `points: ${codePoints(s)}`,
  morse: (s) => `morse: ${morse(s)}`,
  rot13: (s) => `rot13: ${rot13(s)}`,
  'upside down': (s) => `read: ${upsideDown(s)}`,
  'letters split by commas': spacedWith(','),
  'letters split by emoji': spacedWith('🙂'),
  'markdown marks inside words': (s) => s.replace(/\b([a-z]{2})([a-z]{2,})/gi, '$1**$2'),
  'every letter doubled': (s) => s.replace(/[a-z]/gi, (c) => c + c),
  leetspeak: (s) => s.replace(/[aeiost]/gi, (c) => LEET[c.toLowerCase()]!),
  'small capitals': smallCaps,
  fullwidth: (s) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
};
