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
import { parentPort, workerData } from 'node:worker_threads';
import { checkpointWal, openConnection, type Connection } from '../../db/connection';
import type { CheckpointerData, CheckpointerMessage } from './import-protocol';

let db: Connection | undefined;
const closing = new Int32Array((workerData as CheckpointerData).closing);

const close = (): void => {
  db?.close();
  db = undefined;
};

/** True once main has closed the services: queued opens and checkpoints are then skipped. */
const closed = (): boolean => Atomics.load(closing, 0) !== 0;

function handle(m: CheckpointerMessage): void {
  if (m.kind === 'checkpoint') {
    if (db && !closed()) {
      checkpointWal(db);
    }
    return;
  }
  close();
  if (m.kind === 'open' && !closed()) {
    // Never creates the file: one removed since the job began stays removed.
    db = openConnection(m.dbFile, {
      fileMustExist: true,
      ...(m.nativeBinding ? { nativeBinding: m.nativeBinding } : {}),
    });
  }
}

parentPort?.on('message', (m: CheckpointerMessage) => {
  try {
    handle(m);
  } catch {
    // A checkpoint that could not run (busy, the file gone) is run by a later commit instead.
  }
  if (m.kind === 'exit') {
    // Ends only this thread, its connection closed above.
    process.exit(0);
  }
});
