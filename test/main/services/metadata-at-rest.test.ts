/**
 * The database file as an attacker with a copy of it sees it: after a scripted shift (timing
 * events with labels, submits with dispositions and critical-data tags, an escalation), read with
 * plain better-sqlite3, no disposition, category, critical flag, escalation or role is readable,
 * and a row edited to choose its flags is refused rather than trusted.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { criticalCategories, dispositions, escalationCategories } from '../../../shared/domain/annotation';
import { idleReasons } from '../../../shared/domain/timing';
import { roles } from '../../../shared/domain/session';
import { writeTestPackage } from '../../support/packages';
import { makeServices, makeTestClock, queryDb, type ServicesEnv } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { fakeRenderer } from '../../support/timing';

const CLIP_1 = 'c-AAAAAAAAAAAAAAA1';
const CLIP_2 = 'c-AAAAAAAAAAAAAAA2';

/** Every word that would say what a clip holds, or who may read reports. */
const NEEDLES = new Set<string>([
  ...dispositions,
  ...criticalCategories,
  ...escalationCategories,
  ...idleReasons,
  ...roles,
  'disposition',
  'tag',
  'escalate',
]);

/** The text cells of every table that hold one of the needles, as `table.column = value`. */
function readableFacts(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .all()
      .map((t) => t.name);
    const found: string[] = [];
    for (const table of tables) {
      for (const row of db.prepare<[], Record<string, unknown>>(`SELECT * FROM "${table}"`).all()) {
        for (const [column, value] of Object.entries(row)) {
          if (typeof value !== 'string') {
            continue;
          }
          const words = value.split(/[^a-z_]+/);
          if (NEEDLES.has(value) || words.some((w) => NEEDLES.has(w) && w.includes('_'))) {
            found.push(`${table}.${column} = ${value}`);
          }
        }
      }
    }
    return found;
  } finally {
    db.close();
  }
}

describe('review metadata at rest', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  let batchId: string;

  beforeEach(() => {
    const clock = makeTestClock(Date.now());
    env = makeServices({ clock });
    tmp = makeTempDir('earmark-meta-');
    ({ batchId } = env.services.vault.importPackage(
      writeTestPackage(join(tmp.dir, 'b.earmark'), { recipient: env.services.vault.deviceKey().publicKey }).file,
    ));
    const renderer = fakeRenderer(() => env.services, clock, batchId);
    // Clip 1: heard, tagged as bank details, escalated, submitted as no wake word.
    renderer.event('shown');
    renderer.event('play', { positionMs: 0 });
    clock.advance(2_000);
    renderer.event('heard');
    renderer.event('tag', { label: 'bank_card' });
    renderer.event('disposition', { label: 'no_wake_word' });
    renderer.event('escalate');
    renderer.event('submit');
    renderer.event('idle', { label: 'blur' }, null);
    renderer.flush();
    const { annotations } = env.services;
    annotations.escalate({ batchId, clipId: CLIP_1, category: 'self_harm', note: 'caller in distress' });
    annotations.submit({
      batchId,
      clipId: CLIP_1,
      basedOnRevision: 0,
      disposition: 'no_wake_word',
      body: { transcript: 'my card is', critical: [{ start: 0, end: 2, category: 'bank_card' }], entities: [] },
    });
    annotations.submit({
      batchId,
      clipId: CLIP_2,
      basedOnRevision: 0,
      disposition: 'tv_media',
      body: { transcript: 'news at ten', critical: [], entities: [] },
    });
  });
  afterEach(() => {
    env.dispose();
    tmp.remove();
  });

  it('leaves no category, label, critical flag, disposition or escalated clip readable in the file', () => {
    // What the upload sends still says it all: sealing hides it from the disk only.
    const events = env.services.timing.pendingUpload(100).flatMap((u) => (u.kind === 'event' ? [u.event] : []));
    expect(events.map((e) => [e.kind, e.label])).toEqual(
      expect.arrayContaining([
        ['tag', 'bank_card'],
        ['disposition', 'no_wake_word'],
        ['escalate', null],
        ['idle', 'blur'],
      ]),
    );
    const metrics = env.services.timing.pendingUpload(100).flatMap((u) => (u.kind === 'clip' ? [u.metrics] : []));
    expect(metrics.find((m) => m.clipId === CLIP_1)).toMatchObject({ critical: true, escalated: true });
    env.services.close();

    expect(readableFacts(join(env.dataDir, 'earmark.db'))).toEqual([]);
    expect(
      queryDb(
        env.dataDir,
        `SELECT (SELECT count(*) FROM clip_metrics WHERE disposition IS NOT NULL OR critical IS NOT NULL OR escalated IS NOT NULL)
              + (SELECT count(*) FROM annotations WHERE disposition IS NOT NULL OR critical IS NOT NULL) AS plain`,
      ),
    ).toEqual([{ plain: 0 }]);
    // No row names the escalated clip: the escalation and its outbox row hold a keyed reference.
    expect(
      queryDb(
        env.dataDir,
        `SELECT count(*) AS n FROM escalations WHERE clip_id IS NOT NULL OR clip_ref = ?
         UNION ALL SELECT count(*) FROM outbox WHERE kind = 'escalation' AND clip_id = ?
         UNION ALL SELECT count(*) FROM timing_events WHERE kind IN ('escalate', 'tag', 'disposition') OR label IS NOT NULL`,
        CLIP_1,
        CLIP_1,
      ),
    ).toEqual([{ n: 0 }, { n: 0 }, { n: 0 }]);
    env.reopen();
  });

  it('seals the label of an event written before labels were sealed at the next start', () => {
    env.services.close();
    const db = new Database(join(env.dataDir, 'earmark.db'));
    // As an older version wrote it: kind and label in their columns.
    db.prepare(
      `UPDATE timing_events SET kind = 'disposition', label = 'noise_only', detail_key = NULL, detail_iv = NULL,
         detail_tag = NULL, detail = NULL WHERE kind = 'mark' AND seq = (SELECT min(seq) FROM timing_events WHERE kind = 'mark')`,
    ).run();
    db.close();
    const services = env.reopen();
    expect(readableFacts(join(env.dataDir, 'earmark.db'))).toEqual([]);
    const events = services.timing.pendingUpload(100).flatMap((u) => (u.kind === 'event' ? [u.event] : []));
    expect(events.map((e) => [e.kind, e.label])).toContainEqual(['disposition', 'noise_only']);
  });

  it('refuses a metrics row edited back to plain flags, and does not seal the edit as genuine', () => {
    env.services.close();
    const db = new Database(join(env.dataDir, 'earmark.db'));
    // The attacker's move: drop the sealed flags and state their own, as a row from before sealing.
    db.prepare(
      `UPDATE clip_metrics SET flags_iv = NULL, flags_tag = NULL, flags = NULL,
         disposition = 'transcribed', critical = 0, escalated = 0 WHERE clip_id = ?`,
    ).run(CLIP_1);
    db.close();
    const services = env.reopen();
    expect(() => services.timing.pendingUpload(100)).toThrow(/altered/);
    expect(queryDb(env.dataDir, 'SELECT flags IS NULL AS plain FROM clip_metrics WHERE clip_id = ?', CLIP_1)).toEqual([
      { plain: 1 },
    ]);
  });

  it('refuses sealed flags moved from one clip’s row to another’s', () => {
    env.services.close();
    const db = new Database(join(env.dataDir, 'earmark.db'));
    db.prepare(
      `UPDATE clip_metrics SET (flags_iv, flags_tag, flags) =
         (SELECT flags_iv, flags_tag, flags FROM clip_metrics WHERE clip_id = ?) WHERE clip_id = ?`,
    ).run(CLIP_1, CLIP_2);
    db.close();
    expect(() => env.reopen().timing.pendingUpload(100)).toThrow(/metrics flags of revision 1 of clip/);
  });
});
