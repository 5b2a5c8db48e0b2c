import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate } from '../../../../main/db/migrate';
import { migrations } from '../../../../main/db/migrations';
import { makeTempDir } from '../../../support/temp-dir';

const BATCH = 'b-AAAAAAAAAAAAAAA1';
const CLIP = 'c-AAAAAAAAAAAAAAA1';
const eventColumns = 'epoch, seq, kind, t_mono, at, batch_id, clip_id, sync_seq, synced';

describe('migration 0017 (sealed timing labels, escalations named by reference)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migrate(
      db,
      migrations.filter((m) => m.version <= 16),
    );
    db.exec(`
      INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status)
        VALUES ('${BATCH}', 'en-US', 1, 0, 9, 0, 'active');
      INSERT INTO timing_epochs (epoch, first_seen_at, last_mono, last_seen_at) VALUES ('e1', 0, 0, 0);
      INSERT INTO timing_events (${eventColumns}, label)
        VALUES ('e1', 0, 'disposition', 1, 1, '${BATCH}', '${CLIP}', 1, 0, 'noise_only'),
               ('e1', 1, 'escalate', 2, 2, '${BATCH}', '${CLIP}', 2, 1, NULL),
               ('e1', 2, 'play', 3, 3, '${BATCH}', '${CLIP}', 3, 0, NULL);
      INSERT INTO escalations (id, batch_id, clip_id, category, created_at, note_iv, note_tag, note, synced_at)
        VALUES ('esc-1', '${BATCH}', '${CLIP}', NULL, 5, x'01', x'02', x'03', NULL);
    `);
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('keeps every event and escalation, their plain facts waiting to be sealed, and the indexes', () => {
    expect(
      migrate(
        db,
        migrations.filter((m) => m.version <= 17),
      ),
    ).toEqual([17]);
    expect(
      db.prepare('SELECT seq, kind, label, detail, sync_seq, synced FROM timing_events ORDER BY seq').all(),
    ).toEqual([
      { seq: 0, kind: 'disposition', label: 'noise_only', detail: null, sync_seq: 1, synced: 0 },
      { seq: 1, kind: 'escalate', label: null, detail: null, sync_seq: 2, synced: 1 },
      { seq: 2, kind: 'play', label: null, detail: null, sync_seq: 3, synced: 0 },
    ]);
    expect(db.prepare('SELECT id, clip_id, clip_ref FROM escalations').all()).toEqual([
      { id: 'esc-1', clip_id: CLIP, clip_ref: null },
    ]);
    const indexes = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")
      .all();
    expect(indexes).toEqual(
      expect.arrayContaining([
        { name: 'timing_events_clip' },
        { name: 'timing_events_shift' },
        { name: 'timing_events_unsynced' },
        { name: 'escalations_clip_ref' },
      ]),
    );
  });

  it('takes new rows sealed, and refuses a mark without its sealed detail or a label beside one', () => {
    migrate(db, migrations);
    db.exec(`
      INSERT INTO timing_events (${eventColumns}, detail_key, detail_iv, detail_tag, detail)
        VALUES ('e1', 3, 'mark', 4, 4, '${BATCH}', '${CLIP}', 4, 0, x'01', x'02', x'03', x'04');
      INSERT INTO escalations (id, batch_id, clip_ref, created_at, note_iv, note_tag, note)
        VALUES ('esc-2', '${BATCH}', 'ref-00', 6, x'01', x'02', x'03');
    `);
    expect(() =>
      db.exec(`INSERT INTO timing_events (${eventColumns}) VALUES ('e1', 4, 'mark', 5, 5, NULL, NULL, 5, 0)`),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        `INSERT INTO timing_events (${eventColumns}, label, detail_key, detail_iv, detail_tag, detail)
         VALUES ('e1', 5, 'idle', 6, 6, NULL, NULL, 6, 0, 'blur', x'01', x'02', x'03', x'04')`,
      ),
    ).toThrow(/CHECK/);
    // An escalation names its clip one way only.
    expect(() =>
      db.exec(
        `INSERT INTO escalations (id, batch_id, clip_id, clip_ref, created_at, note_iv, note_tag, note)
         VALUES ('esc-3', '${BATCH}', '${CLIP}', 'ref-00', 7, x'01', x'02', x'03')`,
      ),
    ).toThrow(/CHECK/);
  });
});
