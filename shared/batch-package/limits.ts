/**
 * Caps checked before anything large is allocated: a package's header length and every size
 * it declares are compared with these first.
 */
export const PACKAGE_MAGIC = 'EARMARKB';
/** Magic (8 bytes) + header length (u32, big-endian). */
export const PREAMBLE_BYTES = 12;
export const MAX_HEADER_BYTES = 4 * 1024 * 1024;
export const MAX_DETAILS_BYTES = 32 * 1024 * 1024;
export const MAX_CLIPS = 10_000;
export const MAX_CLIP_BYTES = 8 * 1024 * 1024;
/** Ten minutes: far beyond a voice request, short enough to catch a lying header. */
export const MAX_CLIP_DURATION_MS = 10 * 60 * 1000;
export const MAX_ASR_CHARS = 4_000;
/** JSON nesting deeper than this is refused before it is walked. */
export const MAX_JSON_DEPTH = 8;
