/**
 * Tiny English model used to tell ROT13 and reversed text from ordinary text without any dictionary file:
 * letter-bigram log-frequencies and the most common English words.
 */

/**
 * Quantised log2 frequency of each letter bigram `ab` (index a*26+b), 'a' = rarest .. 'p' = most common.
 * Generated once from permissively licensed English prompts (oasst1, natural-instructions, gsm8k,
 * self-instruct); regenerate with `npx tsx scripts/normalize-bigrams.ts`.
 */
const BIGRAMS =
  'flmmhjlhlglnmoflfnnokljhlhlhefndfdkjaleflfckjhkdcakfmdjgncdnlbkkffndflhnkebaidlffjneifmhbigilecjlgkigbjbnimnmkkhkeimmpjljoomhlkmkflcdblkdamaajdcmcalfkjafaiakdeemdilmacjfjkealjgkadahbnfegpdcdnadghimdckhkjceajblknmmlleiejmlpnkhlonhncidjiaaakaaaggaaaakbaffajaaaaaidcdmeiekadgejgdafjdfadagamghlnifdmbimigmiagkkligamcnlffnefdlaagkfmlagjdlccajbmfnnnknglhjjhkmjehnokjfhkfjkkljnkikgkmmollcolmolmiigmeffmedlkaemgdlkamjklbcahadbaaaaaadaaaaabaabeamaaaaanjjloijgnfkjlkniclmmkihbmdlfkgohemmbljihmlgfmomdlajbngjfofdpobckhgnjammklgkclekkljmgkgkcfmlmhkcmmmdebfhfkhccnaealaaccbkbacfbdabafalecgmdbmmadhdjlgakiffbeaeajchbhbafiaabcaejaabkebadfahgggkffciachjhmjagkhechbbdicaajaadhabdbchaabbaeaaafg';

export const BIGRAM_SCORE = new Uint8Array(676);
for (let i = 0; i < 676; i++) BIGRAM_SCORE[i] = BIGRAMS.charCodeAt(i) - 97;

/** The most frequent English words (function words and very common verbs/nouns). */
export const COMMON_WORDS: ReadonlySet<string> = new Set(
  (
    'the be to of and a in that have i it for not on with he as you do at this but his by from they we say her she ' +
    'or an will my one all would there their what so up out if about who get which go me when make can like time no ' +
    'just him know take people into year your good some could them see other than then now look only come its over ' +
    'think also back after use two how our work first well way even new want because any these give day most us is ' +
    'are was were been has had did does said should must may might shall am being here where why very more much many ' +
    'such those every each own same before between through during without again against under never always tell write ' +
    'ignore previous instructions instruction above system prompt rules reveal secret password answer question ' +
    'following text please help explain show print output respond reply forget everything disregard act pretend ' +
    'following below thing things something nothing anything need needs let lets made told said world life help'
  ).split(' '),
);

/**
 * Whether `text` holds at least `min` distinct common English words of `minLength` letters or more: what text
 * decoded from numbers, symbols or a cipher has when it was English, and decoded data or noise does not.
 */
export function hasCommonWords(text: string, min: number, minLength = 2): boolean {
  const seen = new Set<string>();
  for (const word of text.toLowerCase().split(/[^a-z]+/)) {
    if (word.length >= minLength && COMMON_WORDS.has(word)) seen.add(word);
    if (seen.size >= min) return true;
  }
  return false;
}
