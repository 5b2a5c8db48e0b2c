import type { Database } from 'better-sqlite3';
import type { Migration as CoreMigration } from '../../../../core/sqlite/migration-runner';

/** One schema step; migrations run in version order, each in a transaction (core/sqlite/migration-runner.ts). */
export type Migration = CoreMigration<Database>;
