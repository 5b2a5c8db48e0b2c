/**
 * Text normalisation for word error rate: turns a transcript into the words that are scored.
 * docs/wer.md states the same rules for people who read reports rather than code.
 */

/**
 * A reviewer tag such as `[noise]`, `[unintelligible]`, `[tv]`, `[music]`, `[laughter]` or
 * `[CRITICAL:bank]`: square brackets around anything but brackets. Not nested.
 */
const TAG = /\[[^[\]]*\]/gu;

/** Characters people and keyboards use for an apostrophe; all count as `'`. */
const APOSTROPHE_LIKE = /[\u2018\u2019\u201B\u02BC\u0060\u00B4]/gu;

/** Anything that is not part of a word: punctuation, hyphens, symbols, whitespace. */
const NOT_IN_WORD = /[^\p{L}\p{M}\p{N}']+/gu;

/** Apostrophes that open or close a word (quotes, `'cause`, `students'`), not ones inside it. */
const EDGE_APOSTROPHES = /^'+|'+$/gu;

/**
 * Splits a transcript into the lowercase words that word error rate scores.
 *
 * Applied identically to reference and hypothesis, in this order:
 * 1. **Apostrophes and Unicode**: `’`, `‘`, `‛`, `ʼ`, the backtick and `´` become `'`; then
 *    NFKC, so full-width letters, ligatures and compatibility forms compare equal to their plain
 *    forms (`［noise］` is a tag, `ﬁne` is `fine`).
 * 2. **Tags**: every `[...]` (reviewer tags like `[noise]`, `[unintelligible]`, `[tv]`,
 *    `[music]`, `[laughter]`, `[CRITICAL:bank]`) is removed with its content and acts as a word
 *    boundary. Tags describe the audio, not speech, so they are not words: neither a missing
 *    nor an extra tag is an error. A lone `[` or `]` is punctuation.
 * 3. **Case**: lowercased (locale-independent Unicode lowercase).
 * 4. **Apostrophes**: an apostrophe inside a word stays part of it
 *    (`don't`, `o'clock`, `people's` are one word each, and `dont` is a different word);
 *    apostrophes at the start or end of a word are dropped (`'cause` → `cause`).
 * 5. **Hyphens and punctuation**: every character that is not a letter, combining mark, digit
 *    or apostrophe separates words: `voice-mail` → `voice mail`, `3.5` → `3 5`, `a/b` → `a b`.
 * 6. **Digits**: kept as written and never spelled out, so `2` and `two` are different words
 *    (spelling numbers out depends on how they were said; guessing would hide real errors).
 *    Letters and digits in one run stay one word (`mp3`, `1st`).
 * 7. **Whitespace**: any run of whitespace separates words; none is kept.
 *
 * The result contains only letters, marks, digits and inner apostrophes, so it also reads the
 * same in NIST sclite, which gives `(`, `*`, `@`, `-`, `{`, `/` and `:` special meanings.
 */
export function normaliseWords(text: string): string[] {
  // Apostrophes first: NFKC would turn `´` into a space and a combining accent.
  const plain = text
    .replace(APOSTROPHE_LIKE, "'")
    .normalize('NFKC')
    .replace(TAG, ' ')
    .toLowerCase()
    .replace(NOT_IN_WORD, ' ');
  const words: string[] = [];
  for (const token of plain.split(' ')) {
    const word = token.replace(EDGE_APOSTROPHES, '');
    if (word !== '') {
      words.push(word);
    }
  }
  return words;
}
