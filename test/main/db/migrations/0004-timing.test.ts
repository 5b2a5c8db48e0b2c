import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate } from '../../../../main/db/migrate';
import { migrations } from '../../../../main/db/migrations';
import { makeTempDir } from '../../../support/temp-dir';

describe('migration 0004 (timing)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;
  let seq = 0;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migrate(
      db,
      migrations.filter((m) => m.version <= 4),
    );
    seq = 0;
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  const addShift = (id: string, endedAt: number | null = null) =>
    db
      .prepare(
        'INSERT INTO shifts (id, pseudonym, started_at, start_reason, last_activity_at, ended_at, end_reason, sync_seq, synced) VALUES (?, ?, 10, ?, 10, ?, ?, ?, 0)',
      )
      .run(id, 'rv-1', 'first_clip', endedAt, endedAt === null ? null : 'explicit', (seq += 1));
  const addBreak = (id: string, o: { trigger?: string; endedAt?: number | null; skipped?: number } = {}) =>
    db
      .prepare(
        'INSERT INTO breaks (id, shift_id, trigger, started_at, ended_at, skipped, sync_seq, synced) VALUES (?, ?, ?, 20, ?, ?, ?, 0)',
      )
      .run(id, 's1', o.trigger ?? 'manual', o.endedAt ?? null, o.skipped ?? 0, (seq += 1));

  it('creates STRICT tables for shifts, breaks, epochs, events and clip metrics, and a sync counter at 0', () => {
    const rows = db
      .prepare<[], { name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name IN ('shifts', 'breaks', 'timing_epochs', 'timing_events', 'clip_metrics', 'timing_sync_counter') ORDER BY name",
      )
      .all();
    expect(rows.map((r) => [r.name, r.strict])).toEqual([
      ['breaks', 1],
      ['clip_metrics', 1],
      ['shifts', 1],
      ['timing_epochs', 1],
      ['timing_events', 1],
      ['timing_sync_counter', 1],
    ]);
    expect(db.prepare('SELECT value FROM timing_sync_counter').get()).toEqual({ value: 0 });
  });

  it('allows one open shift per workstation and any number of ended ones', () => {
    addShift('s1');
    expect(() => addShift('s2')).toThrow(/UNIQUE constraint failed/);
    addShift('s3', 50);
    addShift('s4', 60);
    expect(db.prepare('SELECT count(*) AS n FROM shifts').get()).toEqual({ n: 3 });
  });

  it('refuses a shift that ends without a reason or before it starts', () => {
    expect(() =>
      db
        .prepare(
          "INSERT INTO shifts (id, pseudonym, started_at, start_reason, last_activity_at, ended_at, end_reason, sync_seq, synced) VALUES ('x', 'p', 10, 'sign_in', 10, 20, NULL, 99, 0)",
        )
        .run(),
    ).toThrow(/CHECK constraint failed/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO shifts (id, pseudonym, started_at, start_reason, last_activity_at, ended_at, end_reason, sync_seq, synced) VALUES ('y', 'p', 10, 'sign_in', 10, 5, 'explicit', 98, 0)",
        )
        .run(),
    ).toThrow(/CHECK constraint failed/);
  });

  it('keeps one open break per shift, and a skipped break only for a suggestion that starts and ends at once', () => {
    addShift('s1');
    addBreak('b1');
    expect(() => addBreak('b2')).toThrow(/UNIQUE constraint failed/);
    expect(() => addBreak('b3', { trigger: 'manual', endedAt: 20, skipped: 1 })).toThrow(/CHECK constraint failed/);
    expect(() => addBreak('b4', { trigger: 'escalations', endedAt: 25, skipped: 1 })).toThrow(
      /CHECK constraint failed/,
    );
    addBreak('b5', { trigger: 'escalations', endedAt: 20, skipped: 1 });
    expect(() => addBreak('b6', { trigger: 'coffee', endedAt: 30 })).toThrow(/CHECK constraint failed/);
  });

  it('stores an event once per (epoch, seq) and refuses an unknown kind or epoch', () => {
    db.prepare(
      "INSERT INTO timing_epochs (epoch, first_seen_at, last_mono, last_seen_at) VALUES ('e-1', 0, 0, 0)",
    ).run();
    const add = (s: number, kind: string, epoch = 'e-1') =>
      db
        .prepare(
          'INSERT INTO timing_events (epoch, seq, kind, t_mono, at, sync_seq, synced) VALUES (?, ?, ?, 1.5, 0, ?, 0)',
        )
        .run(epoch, s, kind, (seq += 1));
    add(0, 'shown');
    expect(() => add(0, 'play')).toThrow(/UNIQUE constraint failed/);
    expect(() => add(1, 'typed_text')).toThrow(/CHECK constraint failed/);
    expect(() => add(2, 'play', 'e-unknown')).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('refuses clip metrics whose active time exceeds handle time', () => {
    const insert = (active: number) =>
      db
        .prepare(
          `INSERT INTO clip_metrics (batch_id, clip_id, revision, through_event_id, submitted_at, duration_ms, handle_ms, active_ms, idle_ms, listen_ms,
             plays, replays, seeks, rate_changes, edits, word_errors, reference_words, disposition, critical, escalated, heard_in_full, sync_seq, synced)
           VALUES ('b', 'c', 1, 0, 0, 1000, 500, ?, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'transcribed', 0, 0, 1, ?, 0)`,
        )
        .run(active, (seq += 1));
    expect(() => insert(600)).toThrow(/CHECK constraint failed/);
    insert(400);
    expect(() => insert(300)).toThrow(/UNIQUE constraint failed/);
  });

  it('holds no column that could carry text other than ids, pseudonyms and enum labels', () => {
    const textColumns = db
      .prepare<[], { tbl: string; name: string }>(
        `SELECT m.name AS tbl, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND m.name IN ('shifts', 'breaks', 'timing_epochs', 'timing_events', 'clip_metrics') AND p.type = 'TEXT' ORDER BY 1, 2`,
      )
      .all()
      .map((r) => `${r.tbl}.${r.name}`);
    expect(textColumns).toEqual([
      'breaks.id',
      'breaks.shift_id',
      'breaks.trigger',
      'clip_metrics.batch_id',
      'clip_metrics.clip_id',
      'clip_metrics.disposition',
      'clip_metrics.shift_id',
      'shifts.end_reason',
      'shifts.id',
      'shifts.pseudonym',
      'shifts.start_reason',
      'timing_epochs.epoch',
      'timing_events.batch_id',
      'timing_events.clip_id',
      'timing_events.epoch',
      'timing_events.kind',
      'timing_events.label',
      'timing_events.shift_id',
    ]);
  });
});
