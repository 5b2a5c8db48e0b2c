import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate } from '../../../../main/db/migrate';
import { migrations } from '../../../../main/db/migrations';
import { makeTempDir } from '../../../support/temp-dir';

const metricsColumns =
  'batch_id, clip_id, revision, shift_id, through_event_id, submitted_at, duration_ms, handle_ms, active_ms, idle_ms, listen_ms, plays, replays, seeks, rate_changes, edits, word_errors, reference_words, heard_in_full, sync_seq, synced';
const metricsValues =
  "'b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1', 1, NULL, 7, 5, 1000, 900, 800, 100, 700, 1, 0, 0, 0, 2, 0, 3, 1, 11, 0";

describe('migration 0012 (sealed review facts)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migrate(
      db,
      migrations.filter((m) => m.version <= 8),
    );
    db.exec(`
      INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status)
        VALUES ('b-AAAAAAAAAAAAAAA1', 'en-US', 1, 0, 9, 0, 'active');
      INSERT INTO annotations (batch_id, clip_id, revision, op_id, disposition, critical, submitted_at, body_iv, body_tag, body, synced_at)
        VALUES ('b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1', 1, 'op-1', 'noise_only', 1, 5, x'01', x'02', x'03', 6);
      INSERT INTO clip_metrics (${metricsColumns}, disposition, critical, escalated)
        VALUES (${metricsValues}, 'tv_media', 0, 1);
    `);
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('keeps every revision and metrics row, their plain facts waiting to be sealed', () => {
    migrate(db, migrations);
    expect(db.prepare('SELECT op_id, disposition, critical, erased_at FROM annotations').all()).toEqual([
      { op_id: 'op-1', disposition: 'noise_only', critical: 1, erased_at: null },
    ]);
    expect(db.prepare('SELECT sync_seq, disposition, critical, escalated, flags FROM clip_metrics').all()).toEqual([
      { sync_seq: 11, disposition: 'tv_media', critical: 0, escalated: 1, flags: null },
    ]);
    expect(
      db.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'clip_metrics' AND type = 'index'").all(),
    ).toEqual(expect.arrayContaining([{ name: 'clip_metrics_shift' }, { name: 'clip_metrics_unsynced' }]));
  });

  it('takes new rows sealed, and refuses a row with neither plain nor sealed flags', () => {
    migrate(db, migrations);
    db.exec(`
      INSERT INTO annotations (batch_id, clip_id, revision, op_id, submitted_at, body_iv, body_tag, body)
        VALUES ('b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1', 2, 'op-2', 7, x'01', x'02', x'03');
      INSERT INTO clip_metrics (${metricsColumns}, flags_iv, flags_tag, flags)
        VALUES (${metricsValues.replace("'c-AAAAAAAAAAAAAAA1', 1", "'c-AAAAAAAAAAAAAAA1', 2").replace(', 11, 0', ', 12, 0')}, x'01', x'02', x'03');
    `);
    expect(() =>
      db.exec(
        `INSERT INTO clip_metrics (${metricsColumns}) VALUES (${metricsValues.replace("'c-AAAAAAAAAAAAAAA1', 1", "'c-AAAAAAAAAAAAAAA1', 3").replace(', 11, 0', ', 13, 0')})`,
      ),
    ).toThrow(/CHECK/);
    expect(() => db.exec("UPDATE annotations SET erased_at = 9 WHERE op_id = 'op-2'")).toThrow(/CHECK/);
    db.exec("UPDATE annotations SET erased_at = 9, body_iv = x'', body_tag = x'', body = x'' WHERE op_id = 'op-2'");
    db.exec(
      "INSERT INTO refused_clips (batch_id, clip_id, reason, erased_at) VALUES ('b-AAAAAAAAAAAAAAA1', 'c-AAAAAAAAAAAAAAA1', 'consent_withdrawn', 9)",
    );
    expect(db.prepare('SELECT erased_at FROM refused_clips').all()).toEqual([{ erased_at: 9 }]);
  });
});
