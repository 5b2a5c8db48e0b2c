/**
 * Switches a database made before incremental auto-vacuum to it. SQLite applies a new
 * `auto_vacuum` mode only through a full `VACUUM`, which rewrites the whole file: done once, at
 * start, and only while no batch is active, so the file holds no audio and the rewrite is short
 * (the ids of ended batches' clips, drafts and timing rows). From then on every erase gives its
 * pages back (`incremental_vacuum`), instead of the file staying at its largest.
 */
import type { Connection } from './connection';

/** SQLite's number for `auto_vacuum = INCREMENTAL`. */
const INCREMENTAL = 2;

export type VacuumSwitch =
  | { readonly switched: true; readonly bytesBefore: number; readonly bytesAfter: number }
  | { readonly switched: false; readonly reason: 'already' | 'batchActive' };

const fileBytes = (db: Connection): number =>
  (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);

/** Runs the one-time `VACUUM` when the file still needs it and no batch is active. */
export function switchToIncrementalVacuum(db: Connection): VacuumSwitch {
  if (db.pragma('auto_vacuum', { simple: true }) === INCREMENTAL) {
    return { switched: false, reason: 'already' };
  }
  const active = db.prepare("SELECT EXISTS (SELECT 1 FROM batches WHERE status = 'active') AS active").pluck().get();
  if (active === 1) {
    return { switched: false, reason: 'batchActive' };
  }
  const bytesBefore = fileBytes(db);
  db.pragma('auto_vacuum = INCREMENTAL');
  db.exec('VACUUM');
  // The rewritten pages go from the WAL into the file now, and the WAL is emptied.
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { switched: true, bytesBefore, bytesAfter: fileBytes(db) };
}
