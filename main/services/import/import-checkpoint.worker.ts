/**
 * The import worker's checkpointer thread. An import's chunks pile up in the WAL; whichever
 * connection commits once it holds 1,000 pages copies them into the database file and syncs
 * both (a checkpoint): tens of milliseconds, mostly spent waiting for the disk. Left to the import
 * worker's own connection, that wait sat in the middle of the import, between one chunk and the
 * next. Here, on a connection of its own, a PASSIVE checkpoint follows each chunk while the
 * import worker checks the next one: it takes no write lock, so neither the import worker nor
 * main waits for it, and the WAL stays short, so neither of their commits has one to run. Any
 * checkpoint it misses is left to those commits, as without it: a failure here changes nothing
 * that is stored.
 */
import { parentPort } from 'node:worker_threads';
import { checkpointWal, openConnection, type Connection } from '../../db/connection';
import type { CheckpointerMessage } from './import-protocol';

let db: Connection | undefined;

const close = (): void => {
  db?.close();
  db = undefined;
};

parentPort?.on('message', (m: CheckpointerMessage) => {
  try {
    if (m.kind === 'open') {
      close();
      db = openConnection(m.dbFile, m.nativeBinding ? { nativeBinding: m.nativeBinding } : {});
    } else if (m.kind === 'checkpoint') {
      if (db) {
        checkpointWal(db);
      }
    } else {
      close();
    }
  } catch {
    // A checkpoint that could not run (busy, the file gone) is run by a later commit instead.
  }
});
