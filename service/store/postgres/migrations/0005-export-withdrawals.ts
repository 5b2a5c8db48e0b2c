import type { PgMigration } from './types';

/**
 * Withdrawals in the annotation export: erasing a withdrawn clip rewrites its ops in place, under
 * the seqs they had, so an export resumed from a later cursor would never hear of it. Each
 * withdrawn clip now has a row here whose seq is drawn from the ops' own sequence under the ops'
 * advisory lock (76146855987970, `OPS_LOCK`), so sequence order stays commit order across both
 * tables, and the export reads them as one stream. Clips withdrawn before this version get theirs
 * now, after every op stored so far, so a consumer resuming from any cursor it holds learns of them.
 */
export const pgMigration0005: PgMigration = {
  version: 5,
  name: 'export-withdrawals',
  sql: `
    CREATE TABLE clip_withdrawals (
      seq      BIGINT PRIMARY KEY,
      batch_id TEXT COLLATE "C" NOT NULL REFERENCES batches (batch_id),
      clip_id  TEXT COLLATE "C" NOT NULL,
      UNIQUE (batch_id, clip_id)
    );
    SELECT pg_advisory_xact_lock(76146855987970);
    INSERT INTO clip_withdrawals (seq, batch_id, clip_id)
    SELECT nextval(pg_get_serial_sequence('ops', 'seq')), batch_id, clip_id
      FROM (SELECT batch_id, clip_id FROM batch_clips WHERE withdrawn ORDER BY batch_id, ordinal) AS w;
  `,
};
