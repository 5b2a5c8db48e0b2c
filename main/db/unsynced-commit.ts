/**
 * A commit that need not reach the disk on its own: for writes that are safe to lose to a power
 * cut because they are redone, such as the service's acknowledgements (a lost one only means the
 * op is sent again, and the service answers it as a duplicate). In WAL mode with
 * synchronous=NORMAL the commit is written to the WAL without an fsync; the next ordinary
 * (synchronous=FULL) commit syncs the WAL with it. The import's staged chunks do the same.
 */
import type { Connection } from './connection';

/** Runs `work` as one immediate transaction whose commit is not synced by itself. */
export function commitUnsynced<T>(db: Connection, work: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return db.transaction(work).immediate();
  } finally {
    db.pragma('synchronous = FULL');
  }
}
