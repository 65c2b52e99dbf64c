/** The letter ciphers the normaliser undoes: ROT13, any other shift, Atbash, reversal. Case and non-letters kept. */

export function rot13(text: string): string {
  return shiftLetters(text, 13);
}

/** Mirrors ASCII letters in the alphabet, a↔z, b↔y (its own inverse; case kept; everything else as is). */
export function atbash(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) out += String.fromCharCode(0x7a - (c - 0x61));
    else if (c >= 0x41 && c <= 0x5a) out += String.fromCharCode(0x5a - (c - 0x41));
    else out += text[i];
  }
  return out;
}

/** Shifts ASCII letters `shift` places along the alphabet (case kept; everything else as is). */
export function shiftLetters(text: string, shift: number): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) out += String.fromCharCode(((c - 0x61 + shift) % 26) + 0x61);
    else if (c >= 0x41 && c <= 0x5a) out += String.fromCharCode(((c - 0x41 + shift) % 26) + 0x41);
    else out += text[i];
  }
  return out;
}

export function reverse(text: string): string {
  return Array.from(text).reverse().join('');
}
