const NOT_ASCII = /[^\0-\x7f]/;

/**
 * Whether a text is plain ASCII (one native scan): the hot paths that lower-case or split words take a
 * character-by-character route for it and leave other text to the Unicode-aware built-ins.
 */
export function isAscii(text: string): boolean {
  return !NOT_ASCII.test(text);
}
