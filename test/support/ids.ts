/**
 * Clip and batch ids for fixtures, in the one form Earmark accepts (`c-`/`b-` and 16 Crockford
 * base-32 characters): the number, zero-padded to `digits`, behind a run of `A`s, so fixtures
 * stay readable (`testClipId(1, 4)` is `c-AAAAAAAAAAAA0001`) and never hold a card-like run.
 */
import { createHash } from 'node:crypto';

const body = (n: number, digits: number): string => String(n).padStart(digits, '0').padStart(16, 'A');

/** A fixture clip id: `testClipId(7)` is `c-AAAAAAAAAAAAAAA7`. */
export const testClipId = (n: number, digits = 1): string => `c-${body(n, digits)}`;

/** A fixture batch id: `testBatchId(7)` is `b-AAAAAAAAAAAAAAA7`. */
export const testBatchId = (n: number, digits = 1): string => `b-${body(n, digits)}`;

/**
 * A fixture shift or break id, in the one form the protocol takes (a UUID): the same name always
 * gives the same id, so a test can say `testRowId('s-a1')` where it stores a shift and where it
 * checks one. The name's letters are not in it.
 */
export const testRowId = (name: string): string => {
  const hex = createHash('sha256').update(name).digest('hex');
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  rowIdNames.set(id, name);
  return id;
};
const rowIdNames = new Map<string, string>();

/** The name a {@link testRowId} was made from, so assertions read as the fixtures were written. */
export const rowIdName = (id: string): string => rowIdNames.get(id) ?? id;
