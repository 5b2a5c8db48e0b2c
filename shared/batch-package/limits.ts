/**
 * Caps checked before anything large is allocated: a package's header length and every size
 * it declares are compared with these first.
 */
export const PACKAGE_MAGIC = 'EARMARKB';
/** Magic (8 bytes) + header length (u32, big-endian). */
export const PREAMBLE_BYTES = 12;
/** HMAC-SHA256 over the preamble and header, written right after the header. */
export const HEADER_TAG_BYTES = 32;
export const MAX_HEADER_BYTES = 4 * 1024 * 1024;
export const MAX_DETAILS_BYTES = 32 * 1024 * 1024;
export const MAX_CLIPS = 10_000;
export const MAX_CLIP_BYTES = 8 * 1024 * 1024;
/** Ten minutes: far beyond a voice request, short enough to catch a lying header. */
export const MAX_CLIP_DURATION_MS = 10 * 60 * 1000;
export const MAX_ASR_CHARS = 4_000;
/** JSON nesting deeper than this is refused before it is walked. */
export const MAX_JSON_DEPTH = 8;
/**
 * No array or object in a manifest holds more members than a batch holds clips; anything larger
 * is refused from the text, before JSON.parse builds it.
 */
export const MAX_JSON_MEMBERS = MAX_CLIPS;
