import type { Database } from 'better-sqlite3';

/** One schema step of the service database. Migrations run in version order, each in a transaction. */
export type Migration = {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
};
