import type { Migration } from './types';

/**
 * Withdrawals in the annotation export: erasing a withdrawn clip rewrites its ops in place, under
 * the seqs they had, so an export resumed from a later cursor would never hear of it. Each
 * withdrawn clip now has a row here whose seq is drawn from the ops' own sequence (ops.seq is
 * AUTOINCREMENT: the draw moves sqlite_sequence on, so the next op numbers after it), and the
 * export reads both tables as one stream. Clips withdrawn before this version get theirs now,
 * after every op stored so far, so a consumer resuming from any cursor it holds learns of them.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'export-withdrawals',
  up(db) {
    db.exec(`
      CREATE TABLE clip_withdrawals (
        seq      INTEGER PRIMARY KEY,
        batch_id TEXT NOT NULL REFERENCES batches (batch_id),
        clip_id  TEXT NOT NULL,
        UNIQUE (batch_id, clip_id)
      ) STRICT;
    `);
    const withdrawn = db
      .prepare<[], { batch_id: string; clip_id: string }>(
        `SELECT batch_id, clip_id FROM batch_clips WHERE json_extract(details, '$.consent') = 'withdrawn'
         ORDER BY batch_id, ordinal`,
      )
      .all();
    if (withdrawn.length === 0) {
      return;
    }
    const last =
      db
        .prepare<[], { n: number }>(
          `SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'ops'), 0),
                      coalesce((SELECT max(seq) FROM ops), 0)) AS n`,
        )
        .get()?.n ?? 0;
    const insert = db.prepare<[number, string, string]>(
      'INSERT INTO clip_withdrawals (seq, batch_id, clip_id) VALUES (?, ?, ?)',
    );
    withdrawn.forEach((w, i) => insert.run(last + 1 + i, w.batch_id, w.clip_id));
    const high = last + withdrawn.length;
    if (db.prepare<[number]>("UPDATE sqlite_sequence SET seq = ? WHERE name = 'ops'").run(high).changes === 0) {
      db.prepare<[number]>("INSERT INTO sqlite_sequence (name, seq) VALUES ('ops', ?)").run(high);
    }
  },
};
