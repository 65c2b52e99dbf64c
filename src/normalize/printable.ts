const utf8 = new TextDecoder('utf-8');

/** Share of characters that must be printable for decoded bytes to count as text. */
const MIN_PRINTABLE = 0.9;

/**
 * Decodes bytes as UTF-8 and keeps the result only when it reads as text: almost every character printable
 * (no control characters, no replacement characters from invalid UTF-8) and a fair share of letters or
 * digits. Binary payloads (images, keys, random tokens) are rejected.
 */
export function bytesToText(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  const text = utf8.decode(bytes);
  return looksLikeText(text) ? text : null;
}

export function looksLikeText(text: string): boolean {
  let bad = 0;
  let alnum = 0;
  let chars = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    chars++;
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) bad++;
    } else if (c < 0x80) {
      if ((c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a)) alnum++;
    } else if (c === 0xfffd || (c >= 0x7f && c <= 0x9f)) bad++;
    else if (c < 0xd800 || c > 0xdfff) alnum++;
  }
  return chars > 0 && bad <= chars * (1 - MIN_PRINTABLE) && alnum >= chars * 0.4;
}
