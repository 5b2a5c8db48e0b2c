/**
 * How the SQLite store turns synchronous better-sqlite3 repositories into the asynchronous
 * {@link ServiceStore} contract, and runs units of work over one connection.
 *
 * better-sqlite3 runs a transaction function synchronously and cannot keep one open across an
 * `await`, while {@link ServiceStore.transaction} takes an async function. So a unit of work is
 * an explicit `BEGIN IMMEDIATE` … `COMMIT` held by a {@link Gate}: while a unit is open, every
 * call on the store itself waits its turn instead of running on the shared connection (where it
 * would read the unit's uncommitted rows, or have its writes swept into the unit's commit or
 * rollback). The unit's own repositories run their statements at once, synchronously, and
 * return settled promises, so a unit holds the write lock only for the microtasks between its
 * calls. When no unit is open, a call runs at once with no queueing.
 *
 * Each repository method that writes several rows (ops, timing records, a batch and its clips)
 * is a better-sqlite3 transaction of its own, and so atomic alone; inside a unit it nests as a
 * savepoint. That keeps the protocol's promises exact: an upload commits as one transaction, and
 * the check-then-insert of op-id dedupe never interleaves with another writer.
 */
import type { Database } from 'better-sqlite3';
import type { Repositories } from '../repositories';

/** The synchronous form of an async repository: the same methods, returning plain values. */
export type Sync<R> = {
  [K in keyof R]: R[K] extends (...args: infer A) => Promise<infer T> ? (...args: A) => T : never;
};

export type SyncRepositories = { readonly [K in keyof Repositories]: Sync<Repositories[K]> };

/**
 * A FIFO lock for one connection. Hand-written rather than taken from a library because it needs
 * a synchronous fast path: a call made while the lock is free runs in the same tick.
 */
export class Gate {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  get isHeld(): boolean {
    return this.held;
  }

  acquire(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the lock straight to the next waiter, so no newcomer can slip in between. */
  release(): void {
    const next = this.waiting.shift();
    if (next) {
      next();
    } else {
      this.held = false;
    }
  }
}

/** Runs `f` now and settles a promise with its value or error. */
function settle<T>(f: () => T): Promise<T> {
  try {
    return Promise.resolve(f());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

type Runner = <T>(f: () => T) => Promise<T>;

function wrapOne<R>(sync: Sync<R>, run: Runner): R {
  const entries = Object.entries(sync as Record<string, (...args: unknown[]) => unknown>).map(
    ([name, method]) => [name, (...args: unknown[]) => run(() => method(...args))] as const,
  );
  // Same keys as `sync`, each method now returning a promise of what the sync one returns: R.
  return Object.fromEntries(entries) as R;
}

function wrapAll(sync: SyncRepositories, run: Runner): Repositories {
  return {
    accounts: wrapOne(sync.accounts, run),
    sessions: wrapOne(sync.sessions, run),
    callers: wrapOne(sync.callers, run),
    devices: wrapOne(sync.devices, run),
    batches: wrapOne(sync.batches, run),
    opChecks: wrapOne(sync.opChecks, run),
    ops: wrapOne(sync.ops, run),
    timing: wrapOne(sync.timing, run),
    teams: wrapOne(sync.teams, run),
    escalations: wrapOne(sync.escalations, run),
    serviceKeys: wrapOne(sync.serviceKeys, run),
    audit: wrapOne(sync.audit, run),
    checkouts: wrapOne(sync.checkouts, run),
    enrolmentCodes: wrapOne(sync.enrolmentCodes, run),
    signIns: wrapOne(sync.signIns, run),
    syncState: wrapOne(sync.syncState, run),
    gold: wrapOne(sync.gold, run),
    hearings: wrapOne(sync.hearings, run),
    faults: wrapOne(sync.faults, run),
    uploadSlots: wrapOne(sync.uploadSlots, run),
  };
}

/** The store's repositories, each call waiting for any open unit of work to end. */
export function gatedRepositories(sync: SyncRepositories, gate: Gate): Repositories {
  const run: Runner = (f) => {
    if (!gate.isHeld) {
      return settle(f);
    }
    return gate.acquire().then(() => {
      try {
        return f();
      } finally {
        gate.release();
      }
    });
  };
  return wrapAll(sync, run);
}

/** Runs `work` between BEGIN IMMEDIATE and COMMIT (ROLLBACK when it rejects), holding `gate`. */
export async function runUnitOfWork<T>(
  db: Database,
  sync: SyncRepositories,
  gate: Gate,
  work: (tx: Repositories) => Promise<T>,
): Promise<T> {
  await gate.acquire();
  let open = true;
  try {
    db.exec('BEGIN IMMEDIATE');
    try {
      const tx = wrapAll(sync, (f) =>
        settle(() => {
          if (!open) {
            throw new Error('This unit of work has ended; its repositories can no longer be used.');
          }
          return f();
        }),
      );
      const result = await work(tx);
      db.exec('COMMIT');
      return result;
    } catch (error) {
      if (db.inTransaction) {
        db.exec('ROLLBACK');
      }
      throw error;
    }
  } finally {
    open = false;
    gate.release();
  }
}
