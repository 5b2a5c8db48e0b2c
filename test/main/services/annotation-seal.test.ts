/**
 * What an attacker with sqlite3 and the database file gets from a reviewer's submitted work: no
 * disposition, critical flag or escalation category in any row, and no way to pass one row's
 * sealed facts off as another's (bodies swapped, a revision number changed, metrics flags moved):
 * the app refuses such a row with an error naming it rather than showing the wrong work.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aad } from '../../../core/crypto/aead';
import { sealJson } from '../../../core/crypto/codec';
import { deriveLocalKey } from '../../../core/crypto/device-key';
import { criticalCategories, dispositions, escalationCategories } from '../../../shared/domain/annotation';
import type { AnnotationBody } from '../../../shared/domain/annotation';
import { writeTestPackage } from '../../support/packages';
import { forgetSealedEntry, makeServices, queryDb, type ServicesEnv } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { testKeyStore } from '../../support/test-safe-storage';

const body = (transcript: string, extra: Partial<AnnotationBody> = {}): AnnotationBody => ({
  transcript,
  critical: [],
  entities: [],
  ...extra,
});

/** Every value of every row of every table, as text: what `sqlite3 .dump` shows of the data. */
function dumpValues(dataDir: string): string[] {
  const tables = queryDb<{ name: string }>(
    dataDir,
    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  );
  return tables.flatMap(({ name }) =>
    queryDb<Record<string, unknown>>(dataDir, `SELECT * FROM "${name}"`).flatMap((row) =>
      Object.entries(row)
        .filter(([, v]) => v !== null)
        .map(([column, v]) => `${name}.${column}=${Buffer.isBuffer(v) ? v.toString('latin1') : String(v)}`),
    ),
  );
}

function edit(dataDir: string, sql: string, ...params: unknown[]): void {
  const db = new Database(join(dataDir, 'earmark.db'));
  try {
    db.prepare(sql).run(...params);
  } finally {
    db.close();
  }
}

describe('sealed review facts', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  let batchId: string;

  beforeEach(() => {
    env = makeServices();
    tmp = makeTempDir('earmark-seal-');
    const built = writeTestPackage(join(tmp.dir, 'b.earmark'), { recipient: env.services.vault.deviceKey().publicKey });
    batchId = env.services.vault.importPackage(built.file).batchId;
  });
  afterEach(() => {
    env.dispose();
    tmp.remove();
  });

  const submit = (clipId: string, basedOnRevision: number, transcript: string, extra: Partial<AnnotationBody> = {}) =>
    env.services.annotations.submit({
      batchId,
      clipId,
      basedOnRevision,
      disposition: 'tv_media',
      body: body(transcript, extra),
    });

  it('leaves no disposition, critical flag or escalation category readable in any row', () => {
    submit('c-AAAAAAAAAAAAAAA1', 0, 'my card is 4111', { critical: [{ start: 11, end: 15, category: 'bank_card' }] });
    submit('c-AAAAAAAAAAAAAAA1', 1, 'my card is 4112', { critical: [{ start: 11, end: 15, category: 'health' }] });
    env.services.annotations.escalate({ batchId, clipId: 'c-AAAAAAAAAAAAAAA2', category: 'self_harm', note: 'n' });
    submit('c-AAAAAAAAAAAAAAA2', 0, 'help');
    const words = [...dispositions, ...criticalCategories, ...escalationCategories];
    const values = dumpValues(env.dataDir);
    // The scan sees the rows it should (the clips, the outbox), so an empty result means something.
    expect(values.some((v) => v.startsWith('annotations.clip_id=c-AAAAAAAAAAAAAAA1'))).toBe(true);
    expect(values.filter((v) => words.some((w) => v.includes(w)))).toEqual([]);
    // The work itself is all there, opened by the app.
    expect(
      env.services.annotations
        .history(batchId, 'c-AAAAAAAAAAAAAAA1')
        .map((a) => [a.disposition, a.critical[0]?.category]),
    ).toEqual([
      ['tv_media', 'bank_card'],
      ['tv_media', 'health'],
    ]);
  });

  it('refuses two revisions whose sealed bodies were swapped, naming the revision', () => {
    submit('c-AAAAAAAAAAAAAAA1', 0, 'first clip');
    submit('c-AAAAAAAAAAAAAAA2', 0, 'second clip');
    const rows = queryDb<{ clip_id: string; body_iv: Buffer; body_tag: Buffer; body: Buffer }>(
      env.dataDir,
      'SELECT clip_id, body_iv, body_tag, body FROM annotations ORDER BY clip_id',
    );
    for (const [row, other] of [
      [rows[0], rows[1]],
      [rows[1], rows[0]],
    ]) {
      edit(
        env.dataDir,
        'UPDATE annotations SET body_iv = ?, body_tag = ?, body = ? WHERE clip_id = ?',
        other?.body_iv,
        other?.body_tag,
        other?.body,
        row?.clip_id,
      );
    }
    const reopened = env.reopen();
    expect(() => reopened.annotations.work(batchId, 'c-AAAAAAAAAAAAAAA1')).toThrow(
      /Revision 1 of clip "c-AAAAAAAAAAAAAAA1" in batch "[^"]+" failed authentication/,
    );
    expect(() => reopened.annotations.state(batchId)).toThrow(/failed authentication/);
  });

  it('refuses a revision whose number was changed, and revisions of one clip swapped', () => {
    submit('c-AAAAAAAAAAAAAAA1', 0, 'one');
    submit('c-AAAAAAAAAAAAAAA1', 1, 'two');
    edit(env.dataDir, 'UPDATE annotations SET revision = 3 WHERE revision = 2');
    expect(() => env.reopen().annotations.history(batchId, 'c-AAAAAAAAAAAAAAA1')).toThrow(
      /Revision 3 of clip "c-AAAAAAAAAAAAAAA1"/,
    );
    edit(env.dataDir, 'UPDATE annotations SET revision = 2 WHERE revision = 3');
    edit(env.dataDir, 'UPDATE annotations SET revision = 9 WHERE revision = 1');
    edit(env.dataDir, 'UPDATE annotations SET revision = 1 WHERE revision = 2');
    edit(env.dataDir, 'UPDATE annotations SET revision = 2 WHERE revision = 9');
    expect(() => env.reopen().annotations.history(batchId, 'c-AAAAAAAAAAAAAAA1')).toThrow(/failed authentication/);
  });

  it('refuses metrics flags moved to another clip', () => {
    submit('c-AAAAAAAAAAAAAAA1', 0, 'one');
    submit('c-AAAAAAAAAAAAAAA2', 0, 'two');
    const [a] = queryDb<{ flags_iv: Buffer; flags_tag: Buffer; flags: Buffer }>(
      env.dataDir,
      "SELECT flags_iv, flags_tag, flags FROM clip_metrics WHERE clip_id = 'c-AAAAAAAAAAAAAAA1'",
    );
    edit(
      env.dataDir,
      "UPDATE clip_metrics SET flags_iv = ?, flags_tag = ?, flags = ? WHERE clip_id = 'c-AAAAAAAAAAAAAAA2'",
      a?.flags_iv,
      a?.flags_tag,
      a?.flags,
    );
    expect(() => env.reopen().timing.pendingUpload(100)).toThrow(
      /metrics flags of revision 1 of clip "c-AAAAAAAAAAAAAAA2" .* failed authentication/,
    );
  });

  // The app keeps what it sealed lately in memory (core/crypto/seal-memo.ts): rows edited while it
  // runs are still checked, because the memory answers only for the exact bytes it sealed there.
  it('refuses bodies swapped while the app runs, though it sealed both moments before', () => {
    submit('c-AAAAAAAAAAAAAAA1', 0, 'first clip');
    submit('c-AAAAAAAAAAAAAAA2', 0, 'second clip');
    const rows = queryDb<{ clip_id: string; body_iv: Buffer; body_tag: Buffer; body: Buffer }>(
      env.dataDir,
      'SELECT clip_id, body_iv, body_tag, body FROM annotations ORDER BY clip_id',
    );
    const [one, two] = rows;
    edit(
      env.dataDir,
      'UPDATE annotations SET body_iv = ?, body_tag = ?, body = ? WHERE clip_id = ?',
      two?.body_iv,
      two?.body_tag,
      two?.body,
      one?.clip_id,
    );
    expect(() => env.services.annotations.history(batchId, 'c-AAAAAAAAAAAAAAA1')).toThrow(
      /Revision 1 of clip "c-AAAAAAAAAAAAAAA1" in batch "[^"]+" failed authentication/,
    );
    // The row left alone still reads as written.
    expect(env.services.annotations.history(batchId, 'c-AAAAAAAAAAAAAAA2').map((a) => a.transcript)).toEqual([
      'second clip',
    ]);
  });

  it('keeps no plaintext of what it sealed once the workstation locks', () => {
    submit('c-AAAAAAAAAAAAAAA1', 0, 'said at the door');
    expect(env.services.annotations.revisionsInMemory()).toBe(1);
    env.services.lock.lock('idle');
    expect(env.services.annotations.revisionsInMemory()).toBe(0);
  });

  it('refuses a body altered by one byte, and metrics flags moved, while the app runs', () => {
    const a = submit('c-AAAAAAAAAAAAAAA1', 0, 'one');
    submit('c-AAAAAAAAAAAAAAA2', 0, 'two');
    edit(env.dataDir, 'UPDATE annotations SET body = ? WHERE op_id = ?', Buffer.alloc(3, 7), a.opId);
    expect(() => env.services.annotations.revisionsByOpIds([a.opId])).toThrow(/failed authentication/);
    const [flags] = queryDb<{ flags_iv: Buffer; flags_tag: Buffer; flags: Buffer }>(
      env.dataDir,
      "SELECT flags_iv, flags_tag, flags FROM clip_metrics WHERE clip_id = 'c-AAAAAAAAAAAAAAA1'",
    );
    edit(
      env.dataDir,
      "UPDATE clip_metrics SET flags_iv = ?, flags_tag = ?, flags = ? WHERE clip_id = 'c-AAAAAAAAAAAAAAA2'",
      flags?.flags_iv,
      flags?.flags_tag,
      flags?.flags,
    );
    expect(() => env.services.timing.pendingUpload(100)).toThrow(
      /metrics flags of revision 1 of clip "c-AAAAAAAAAAAAAAA2" .* failed authentication/,
    );
  });

  it('seals a revision written before dispositions were sealed, once the key is there', () => {
    const a = submit('c-AAAAAAAAAAAAAAA1', 0, 'older work');
    // As an older version wrote it: disposition and flag in columns, body bound to batch and clip.
    const key = deriveLocalKey(testKeyStore(env.dataDir).loadOrCreateDeviceKey(), 'annotations');
    const old = sealJson(key, body('older work'), aad('annotation', batchId, 'c-AAAAAAAAAAAAAAA1'));
    edit(
      env.dataDir,
      "UPDATE annotations SET disposition = 'noise_only', critical = 0, body_iv = ?, body_tag = ?, body = ? WHERE op_id = ?",
      old.iv,
      old.tag,
      old.ciphertext,
      a.opId,
    );
    const reopened = env.reopen();
    expect(reopened.annotations.work(batchId, 'c-AAAAAAAAAAAAAAA1').latest).toMatchObject({
      disposition: 'noise_only',
      transcript: 'older work',
    });
    expect(queryDb(env.dataDir, 'SELECT disposition, critical FROM annotations')).toEqual([
      { disposition: null, critical: null },
    ]);
    expect(env.reopen().annotations.history(batchId, 'c-AAAAAAAAAAAAAAA1')[0]?.disposition).toBe('noise_only');
  });

  it('seals metrics flags written before they were sealed, once the key is there', () => {
    submit('c-AAAAAAAAAAAAAAA1', 0, 'older work');
    edit(
      env.dataDir,
      "UPDATE clip_metrics SET disposition = 'unintelligible', critical = 1, escalated = 0, flags_iv = NULL, flags_tag = NULL, flags = NULL",
    );
    // A database from before the rows were sealed: no record yet that they all were.
    env.services.close();
    forgetSealedEntry(env.dataDir, 'legacyResealed');
    const reopened = env.reopen();
    const [m] = reopened.timing.pendingUpload(100).flatMap((u) => (u.kind === 'clip' ? [u.metrics] : []));
    expect(m).toMatchObject({ disposition: 'unintelligible', critical: true, escalated: false });
    expect(queryDb(env.dataDir, 'SELECT disposition, critical, escalated FROM clip_metrics')).toEqual([
      { disposition: null, critical: null, escalated: null },
    ]);
  });
});
