import type { Connection } from '../connection';

/** One schema step. `version` is its number; migrations run in order, each in a transaction. */
export type Migration = {
  readonly version: number;
  readonly name: string;
  up(db: Connection): void;
};
