import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migration0001 } from '../../../../main/db/migrations/0001-initial';
import { migration0002 } from '../../../../main/db/migrations/0002-vault';
import { makeTempDir } from '../../../support/temp-dir';

const blob = (n = 4): Buffer => Buffer.alloc(n, 0xab);

describe('migration 0002 (vault)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  type ClipCols = { audio?: Buffer | null; meta?: Buffer | null; ordinal?: number; clipId?: string; batchId?: string };
  const insertClip = (state: string, cols: ClipCols = {}) =>
    db
      .prepare(
        `INSERT INTO clips (batch_id, clip_id, ordinal, state, audio_iv, audio_tag, audio, meta_iv, meta_tag, meta)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        cols.batchId ?? 'b1',
        cols.clipId ?? 'c1',
        cols.ordinal ?? 0,
        state,
        cols.audio === null ? null : blob(12),
        cols.audio === null ? null : blob(16),
        cols.audio === undefined ? blob() : cols.audio,
        blob(12),
        blob(16),
        cols.meta === undefined ? blob() : cols.meta,
      );

  const count = (table: string): number =>
    db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? -1;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migration0001.up(db);
    migration0002.up(db);
    db.exec(
      "INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status) VALUES ('b1', 'en-US', 3, 0, 1, 0, 'active')",
    );
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('creates STRICT batch_keys, clips and refused_clips tables', () => {
    const rows = db
      .prepare<[], { name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE schema = 'main' AND name IN ('batch_keys', 'clips', 'refused_clips') ORDER BY name",
      )
      .all();
    expect(rows).toEqual([
      { name: 'batch_keys', strict: 1 },
      { name: 'clips', strict: 1 },
      { name: 'refused_clips', strict: 1 },
    ]);
  });

  it('rejects text where ciphertext bytes belong instead of coercing it', () => {
    expect(() =>
      db.prepare("INSERT INTO batch_keys (batch_id, key_id, wrap) VALUES ('b1', 'k', ?)").run('not a blob'),
    ).toThrow(/cannot store TEXT value in BLOB column/);
    expect(() =>
      db
        .prepare("INSERT INTO clips (batch_id, clip_id, ordinal, state, meta) VALUES ('b1', 'c9', 9, 'quarantined', ?)")
        .run('plain text meta'),
    ).toThrow(/cannot store TEXT value in BLOB column/);
  });

  it('stores a ready clip with its audio and details', () => {
    insertClip('ready');
    expect(count('clips')).toBe(1);
  });

  it('refuses a ready clip without audio or without details', () => {
    expect(() => insertClip('ready', { audio: null })).toThrow(/CHECK constraint failed/);
    expect(() => insertClip('ready', { meta: null })).toThrow(/CHECK constraint failed/);
    expect(count('clips')).toBe(0);
  });

  it('refuses audio bytes on a clip that is not ready', () => {
    expect(() => insertClip('quarantined')).toThrow(/CHECK constraint failed/);
    expect(() => insertClip('purged')).toThrow(/CHECK constraint failed/);
    insertClip('quarantined', { audio: null, clipId: 'q' });
    insertClip('purged', { audio: null, meta: null, clipId: 'p', ordinal: 1 });
    expect(count('clips')).toBe(2);
  });

  it('refuses an unknown clip state, a negative ordinal and a repeated ordinal', () => {
    expect(() => insertClip('playing')).toThrow(/CHECK constraint failed/);
    expect(() => insertClip('ready', { ordinal: -1 })).toThrow(/CHECK constraint failed/);
    insertClip('ready', { clipId: 'c1', ordinal: 0 });
    expect(() => insertClip('ready', { clipId: 'c2', ordinal: 0 })).toThrow(/UNIQUE constraint failed/);
    expect(() => insertClip('ready', { clipId: 'c1', ordinal: 1 })).toThrow(/UNIQUE constraint failed/);
  });

  it('refuses a refused-clip reason other than withdrawn consent', () => {
    expect(() => db.exec("INSERT INTO refused_clips (batch_id, clip_id, reason) VALUES ('b1', 'c1', 'other')")).toThrow(
      /CHECK constraint failed/,
    );
    db.exec("INSERT INTO refused_clips (batch_id, clip_id, reason) VALUES ('b1', 'c1', 'consent_withdrawn')");
    expect(count('refused_clips')).toBe(1);
  });

  it('refuses rows for a batch that does not exist', () => {
    expect(() => insertClip('ready', { batchId: 'nope' })).toThrow(/FOREIGN KEY constraint failed/);
    expect(() =>
      db.prepare("INSERT INTO batch_keys (batch_id, key_id, wrap) VALUES ('nope', 'k', ?)").run(blob()),
    ).toThrow(/FOREIGN KEY constraint failed/);
    expect(() =>
      db.exec("INSERT INTO refused_clips (batch_id, clip_id, reason) VALUES ('nope', 'c1', 'consent_withdrawn')"),
    ).toThrow(/FOREIGN KEY constraint failed/);
  });

  it("deletes a batch's key, clips and refused clips with the batch", () => {
    db.prepare("INSERT INTO batch_keys (batch_id, key_id, wrap) VALUES ('b1', 'k', ?)").run(blob());
    insertClip('ready', { clipId: 'c1', ordinal: 0 });
    insertClip('quarantined', { clipId: 'c2', ordinal: 1, audio: null });
    db.exec("INSERT INTO refused_clips (batch_id, clip_id, reason) VALUES ('b1', 'c3', 'consent_withdrawn')");
    db.exec("DELETE FROM batches WHERE id = 'b1'");
    expect([count('batch_keys'), count('clips'), count('refused_clips')]).toEqual([0, 0, 0]);
  });

  it('allows one wrapped key per batch', () => {
    db.prepare("INSERT INTO batch_keys (batch_id, key_id, wrap) VALUES ('b1', 'k', ?)").run(blob());
    expect(() =>
      db.prepare("INSERT INTO batch_keys (batch_id, key_id, wrap) VALUES ('b1', 'k2', ?)").run(blob()),
    ).toThrow(/UNIQUE constraint failed/);
  });
});
