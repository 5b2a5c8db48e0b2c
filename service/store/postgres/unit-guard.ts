/**
 * A unit of work's repositories stop working once it has ended (the contract of
 * `ServiceStore.transaction`): its client is back in the pool by then, perhaps inside someone
 * else's transaction, where a late statement would land unseen.
 */
import type { PgDb } from './db';

const ENDED = 'This unit of work has ended; its repositories can no longer be used.';

/** `db` for one unit of work, and `end`, after which every statement on it is refused. */
export function unitDb(db: PgDb): { readonly db: PgDb; end(): void } {
  let open = true;
  const guard = (inner: PgDb): PgDb => ({
    query: (text, values) => (open ? inner.query(text, values) : Promise.reject(new Error(ENDED))),
    execute: (text, values) => (open ? inner.execute(text, values) : Promise.reject(new Error(ENDED))),
    atomic: (work) => (open ? inner.atomic((d) => work(guard(d))) : Promise.reject(new Error(ENDED))),
  });
  return {
    db: guard(db),
    end: () => {
      open = false;
    },
  };
}
