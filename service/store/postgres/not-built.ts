/**
 * A repository whose PostgreSQL form is not written yet: every method rejects, naming itself, so
 * the store can be assembled and its finished repositories tested while the rest are written.
 */
import type { Repositories } from '../repositories';

export function notBuilt<K extends keyof Repositories>(repository: K): Repositories[K] {
  return new Proxy({} as Repositories[K], {
    get: (_target, method) => () =>
      Promise.reject(new Error(`PostgreSQL store: ${repository}.${String(method)} is not built yet.`)),
  });
}
