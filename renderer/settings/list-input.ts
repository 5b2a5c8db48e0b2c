/**
 * The tag and entity-type lists are edited as one line of text ("[noise] [tv] [music]"). This
 * reads such a line back into a list, or says what is wrong with it.
 */

/** Why a list was not accepted; `item` names the entry at fault. */
export type ListProblem = { readonly problem: 'empty' | 'invalid' | 'duplicate' | 'tooMany'; readonly item?: string };

export type ListParse =
  { readonly ok: true; readonly items: readonly string[] } | ({ readonly ok: false } & ListProblem);

/** Splits on spaces and commas; every entry must match `pattern`, none twice, at most `max`. */
export function parseList(text: string, pattern: RegExp, max: number): ListParse {
  const items = text.split(/[\s,]+/u).filter((item) => item !== '');
  if (items.length === 0) {
    return { ok: false, problem: 'empty' };
  }
  const invalid = items.find((item) => !pattern.test(item));
  if (invalid !== undefined) {
    return { ok: false, problem: 'invalid', item: invalid };
  }
  const duplicate = items.find((item, i) => items.indexOf(item) !== i);
  if (duplicate !== undefined) {
    return { ok: false, problem: 'duplicate', item: duplicate };
  }
  if (items.length > max) {
    return { ok: false, problem: 'tooMany' };
  }
  return { ok: true, items };
}

/** The list as the text field shows it. */
export const formatList = (items: readonly string[]): string => items.join(' ');
