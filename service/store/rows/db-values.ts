/**
 * Values the two drivers hand back differently for the same column. Times in ms and sequence
 * numbers are numbers on both (BIGINT is read as a number through `pgTypeConfig`), so only
 * booleans need a type of their own here.
 */

/**
 * A boolean as read: PostgreSQL gives `true`/`false`; SQLite has no boolean type and gives 1/0
 * (or NULL where `json_extract` finds no such key).
 */
export type DbBoolean = boolean | number | null;

/** True for PostgreSQL's `true` and SQLite's 1; false for anything else (false, 0, NULL). */
export const fromDbBoolean = (v: DbBoolean): boolean => v === true || v === 1;
