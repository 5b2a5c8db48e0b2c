/**
 * SQL for an import in progress. Its batch row is written first, marked staged, so its clips can
 * go in over many short transactions while every other query leaves the batch out; `publish`
 * makes it visible in one short transaction. Only the import's own connection writes here.
 */
import type { Connection } from '../connection';
import type { NewBatch } from './batch.repository';

/** Rows removed per transaction when a staged batch is discarded: each delete stays short. */
const DISCARD_ROWS = 256;

export function createImportStagingRepository(db: Connection) {
  const insertBatch = db.prepare<[string, string, number, number, number, number]>(
    `INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status, staged)
     VALUES (?, ?, ?, ?, ?, ?, 'active', 1)`,
  );
  const selectAny = db.prepare<[string], { staged: number }>('SELECT staged FROM batches WHERE id = ?');
  const unstage = db.prepare<[string]>('UPDATE batches SET staged = 0 WHERE id = ? AND staged = 1');
  const insertKey = db.prepare<[string, string, Buffer]>(
    'INSERT INTO batch_keys (batch_id, key_id, wrap) VALUES (?, ?, ?)',
  );
  const deleteClips = db.prepare<[string, number]>(
    'DELETE FROM clips WHERE rowid IN (SELECT rowid FROM clips WHERE batch_id = ? LIMIT ?)',
  );
  const deleteRefused = db.prepare<[string]>('DELETE FROM refused_clips WHERE batch_id = ?');
  const deleteStaged = db.prepare<[string]>('DELETE FROM batches WHERE id = ? AND staged = 1');
  const selectStaged = db.prepare<[], { id: string }>('SELECT id FROM batches WHERE staged = 1 ORDER BY id');

  const discard = (batchId: string): void => {
    db.pragma('synchronous = FULL');
    // A batch row still staged is this import's own: nothing else refers to it yet.
    while (db.transaction(() => deleteClips.run(batchId, DISCARD_ROWS).changes).immediate() > 0) {
      // One short transaction per round, so main's writes slip in between.
    }
    db.transaction(() => {
      deleteRefused.run(batchId);
      deleteStaged.run(batchId);
    }).immediate();
  };

  return {
    /** 'visible' or 'staged' when a batch with this id is already in the database. */
    existing: (batchId: string): 'visible' | 'staged' | undefined => {
      const row = selectAny.get(batchId);
      return row ? (row.staged === 1 ? 'staged' : 'visible') : undefined;
    },
    /**
     * The staged batch row, in its own transaction. From here until `publish` or `discard`, this
     * connection's commits are not synced one by one: staged rows are invisible, and any lost
     * to a power cut only mean the import is redone. Publishing syncs them all.
     */
    stage: (b: NewBatch): void => {
      db.pragma('synchronous = NORMAL');
      db.transaction(() => insertBatch.run(b.id, b.locale, b.clipCount, b.createdAt, b.expiresAt, b.importedAt))();
    },
    /** Runs one chunk of inserts as one short transaction. */
    chunk: (work: () => void): void => {
      db.transaction(work).immediate();
    },
    /** Makes the batch visible and saves its key, as one; false when it was no longer staged. */
    publish: (batchId: string, keyId: string, wrap: Buffer): boolean => {
      // Acknowledged from here on: this commit syncs the WAL, with every staged chunk before it.
      db.pragma('synchronous = FULL');
      return db
        .transaction(() => {
          if (unstage.run(batchId).changes !== 1) {
            return false;
          }
          insertKey.run(batchId, keyId, wrap);
          return true;
        })
        .immediate();
    },
    /** Removes a staged batch and its rows, a short transaction at a time. */
    discard,
    /** Batches left staged by an import that never finished (a crash, a kill). */
    leftovers: (): string[] => selectStaged.all().map((r) => r.id),
  };
}

export type ImportStagingRepository = ReturnType<typeof createImportStagingRepository>;
