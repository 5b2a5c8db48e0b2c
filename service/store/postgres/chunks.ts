/**
 * Splitting a long list of rows into multi-row statements: few enough round trips for a large
 * batch, yet no single statement carrying more than a bounded number of rows or bytes (audio).
 */

/** Rows per multi-row statement. */
export const CHUNK_ROWS = 500;
/** Bytes of large values (audio) per multi-row statement; a single larger value goes alone. */
export const CHUNK_BYTES = 32 * 1024 * 1024;

export type Chunk<T> = { readonly start: number; readonly items: readonly T[] };

/** Consecutive chunks of `items`, each within {@link CHUNK_ROWS} rows and {@link CHUNK_BYTES} of `size`. */
export function inChunks<T>(items: readonly T[], size: (item: T) => number = () => 0): Chunk<T>[] {
  const chunks: Chunk<T>[] = [];
  let start = 0;
  let bytes = 0;
  items.forEach((item, i) => {
    const n = size(item);
    if (i > start && (i - start >= CHUNK_ROWS || bytes + n > CHUNK_BYTES)) {
      chunks.push({ start, items: items.slice(start, i) });
      start = i;
      bytes = 0;
    }
    bytes += n;
  });
  if (items.length > start) {
    chunks.push({ start, items: items.slice(start) });
  }
  return chunks;
}
