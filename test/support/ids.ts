/**
 * Clip and batch ids for fixtures, in the one form Earmark accepts (`c-`/`b-` and 16 Crockford
 * base-32 characters): the number, zero-padded to `digits`, behind a run of `A`s, so fixtures
 * stay readable (`testClipId(1, 4)` is `c-AAAAAAAAAAAA0001`) and never hold a card-like run.
 */
const body = (n: number, digits: number): string => String(n).padStart(digits, '0').padStart(16, 'A');

/** A fixture clip id: `testClipId(7)` is `c-AAAAAAAAAAAAAAA7`. */
export const testClipId = (n: number, digits = 1): string => `c-${body(n, digits)}`;

/** A fixture batch id: `testBatchId(7)` is `b-AAAAAAAAAAAAAAA7`. */
export const testBatchId = (n: number, digits = 1): string => `b-${body(n, digits)}`;
