/** One step of the PostgreSQL schema: SQL run in a transaction of its own, recorded by version. */
export type PgMigration = {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
};
