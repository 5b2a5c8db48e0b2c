import type { Connection } from '../connection';

/**
 * Draws the next number from the timing tables' one sync counter (migration 0004). Every write
 * of a timing, metrics, shift or break row takes a fresh one, so a sync sender reading rows in
 * this order sends them in the order they were written, and a changed row is sent again.
 */
export function createSyncSeq(db: Connection): () => number {
  const next = db.prepare<[], { value: number }>(
    'UPDATE timing_sync_counter SET value = value + 1 WHERE id = 1 RETURNING value',
  );
  return () => {
    const row = next.get();
    if (!row) {
      throw new Error('The timing sync counter is missing.');
    }
    return row.value;
  };
}
