/**
 * Which store the service (and its admin CLI) runs on: PostgreSQL when given a database URL
 * (`--database postgres://…`, else `EARMARK_DATABASE_URL`), otherwise the embedded SQLite file
 * `service.db` in the data folder, the default for development, demos and tests.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ServiceStore } from './repositories';
import { openPostgresServiceStore, type PgStoreOptions } from './postgres/service-store';
import { openSqliteServiceStore } from './sqlite/service-store';

/** The environment variable naming the PostgreSQL database when `--database` is not given. */
export const DATABASE_URL_ENV = 'EARMARK_DATABASE_URL';

export type StoreChoice =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly options: PgStoreOptions };

/** Raised for a `--database` value the service cannot use. */
export class DatabaseUrlError extends Error {
  override readonly name = 'DatabaseUrlError';
}

/**
 * Picks the store: `database` (from `--database`), else `env[EARMARK_DATABASE_URL]`, must be a
 * postgres:// or postgresql:// URL; with neither, the SQLite file in `dataDir`.
 */
export function chooseStore(o: {
  readonly database: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly dataDir: string;
  readonly pg?: PgStoreOptions;
}): StoreChoice {
  const url = o.database ?? (o.env[DATABASE_URL_ENV] || undefined);
  if (url === undefined) {
    return { kind: 'sqlite', file: join(resolve(o.dataDir), 'service.db') };
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new DatabaseUrlError(`--database must be a postgres:// URL (got "${url.split(':')[0] ?? ''}:…").`);
  }
  return { kind: 'postgres', url, options: o.pg ?? {} };
}

/** Where a choice points, for people: the SQLite file, or the database's host and name (never the password). */
export function describeStore(c: StoreChoice): string {
  if (c.kind === 'sqlite') {
    return c.file;
  }
  const u = new URL(c.url);
  return `PostgreSQL ${u.host}${u.pathname}`;
}

/** Opens (creating or migrating as needed) the chosen store. */
export async function openChosenStore(c: StoreChoice): Promise<ServiceStore> {
  if (c.kind === 'postgres') {
    return openPostgresServiceStore(c.url, c.options);
  }
  mkdirSync(join(c.file, '..'), { recursive: true, mode: 0o700 });
  return openSqliteServiceStore(c.file);
}
