/**
 * The bounds of every setting value, apart from the schemas that enforce them, so the settings
 * screen can check a value (and say what is wrong in the reviewer's language) without loading
 * the schema library.
 */

/** An inclusive range of whole numbers. */
export type WholeRange = { readonly min: number; readonly max: number };

/** The number settings: minutes and seconds of idle time, and the backstep in milliseconds. */
export const numberRanges = {
  idleLockMinutes: { min: 1, max: 240 },
  idleSeconds: { min: 5, max: 600 },
  autoBackstepMs: { min: 0, max: 3000 },
  /** Up to a week: a finished batch's audio is not kept on the workstation longer than that. */
  purgeGraceMinutes: { min: 0, max: 7 * 24 * 60 },
  maxClockSkewSeconds: { min: 30, max: 86_400 },
} as const satisfies Record<string, WholeRange>;

/** The number break rules. */
export const breakRuleRanges = {
  microBreakEveryMinutes: { min: 15, max: 240 },
  microBreakMinutes: { min: 1, max: 15 },
  microBreakAfterEscalations: { min: 0, max: 50 },
} as const satisfies Record<string, WholeRange>;

/** A tag offered while typing: `[word]`, lower case (any script), digits, `_` or `-` inside. */
export const insertTagPattern = /^\[[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,31}\]$/u;
/** Most tags the list may hold. */
export const MAX_INSERT_TAGS = 20;
/** Most entity types the list may hold. */
export const MAX_ENTITY_TYPES = 30;

/** A command id as the registry names them: `player.toggle`, `review.disposition.tv_media`. */
export const commandIdPattern = /^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+){0,4}$/;
/** Most commands a binding map may name; the app has a few dozen. */
export const MAX_HOTKEY_OVERRIDES = 200;
