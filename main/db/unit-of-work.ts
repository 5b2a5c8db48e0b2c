/**
 * One unit of work over the workstation database: writes through several repositories commit
 * together or not at all, and whatever should only be told once they are on disk (an event to
 * the windows, a kick to the sync sender) waits for the commit. Services receive this instead
 * of a connection or one repository's transaction.
 */
import type { Connection } from './connection';

export type UnitOfWork = {
  /**
   * Runs `work` in one immediate transaction. Run inside another run it becomes a savepoint:
   * it rolls back alone when it throws, and commits only with the outermost run. Repository
   * transactions inside it become savepoints too. `work` must not be async: the transaction ends when
   * it returns.
   */
  readonly run: <T>(work: () => T) => T;
  /**
   * Calls `callback` once the outermost {@link UnitOfWork.run} commits; never when it (or the
   * savepoint the callback was queued in) rolls back. Outside any run it is called at once.
   * Callbacks run in the order queued; if some throw, the rest still run and the first error
   * is thrown to the caller of `run`, after the commit (the work itself is saved).
   */
  readonly afterCommit: (callback: () => void) => void;
};

export function createUnitOfWork(db: Connection): UnitOfWork {
  // One queue per open run, innermost last; a savepoint's queue joins its parent's on success.
  const open: (() => void)[][] = [];

  const deliver = (callbacks: readonly (() => void)[]): void => {
    const errors: unknown[] = [];
    for (const callback of callbacks) {
      try {
        callback();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) {
      throw errors[0];
    }
  };

  return {
    run<T>(work: () => T): T {
      const queued: (() => void)[] = [];
      open.push(queued);
      let result: T;
      try {
        // better-sqlite3 turns a nested transaction function into a savepoint by itself.
        result = db.transaction(work).immediate();
      } finally {
        open.pop();
      }
      const parent = open.at(-1);
      if (parent) {
        parent.push(...queued);
      } else {
        deliver(queued);
      }
      return result;
    },

    afterCommit(callback: () => void): void {
      const current = open.at(-1);
      if (current) {
        current.push(callback);
      } else {
        callback();
      }
    },
  };
}
