/**
 * The PostgreSQL schema, in order. Numbered on their own (not the SQLite store's numbers): each
 * store's history is its own, and both end at the same repository contract.
 */
import { pgMigration0001 } from './0001-identity';
import { pgMigration0002 } from './0002-work';
import { pgMigration0003 } from './0003-batch-reads';
import { pgMigration0004 } from './0004-upload-slots';
import { pgMigration0005 } from './0005-export-withdrawals';
import { pgMigration0006 } from './0006-timing-read-indexes';
import { pgMigration0007 } from './0007-closed-escalations-index';
import { pgMigration0008 } from './0008-timing-received-index';
import { pgMigration0009 } from './0009-spent-challenges';
import type { PgMigration } from './types';

export const pgMigrations: readonly PgMigration[] = [
  pgMigration0001,
  pgMigration0002,
  pgMigration0003,
  pgMigration0004,
  pgMigration0005,
  pgMigration0006,
  pgMigration0007,
  pgMigration0008,
  pgMigration0009,
];
