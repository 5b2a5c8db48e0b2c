import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_SOURCE } from '../../../../service/audit';
import { revokeBatch, setBatchExpiry } from '../../../../service/batch-admin';
import { handOver } from '../../../../service/hand-over';
import { makeServices, makeTestClock, queryDb, type ServicesEnv, type TestClock } from '../../../support/services';
import { startTestService, type TestService } from '../../../support/reference-service';

const BATCH = 'b-AAAAAAAAAAEXPFWD';
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const operator = { operator: 'ops', source: CLI_SOURCE };

describe('an expiry an operator changes after checkout', () => {
  let svc: TestService;
  let env: ServicesEnv;
  let clock: TestClock;
  let clips: string[];

  beforeEach(async () => {
    svc = await startTestService();
    clips = await svc.addBatch(BATCH, 2);
    clock = makeTestClock(svc.now());
    env = makeServices({ serviceUrl: svc.url, clock });
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
  });
  afterEach(async () => {
    env.dispose();
    await svc.stop();
  });

  const local = () => env.services.batches.get(BATCH);
  /** A write into the file with a tool of the reviewer's own, the app closed. */
  const edit = (sql: string, ...params: unknown[]): void => {
    env.services.close();
    const db = new Database(join(env.dataDir, 'earmark.db'));
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  };
  /** Starts the app again over the edited file, offline, and unlocks it. */
  const restart = async (): Promise<void> => {
    env.reopen();
    await env.services.lock.unlock(svc.reviewer.password);
  };
  /** What opening the first clip gives: its audio's length, or the error's name and message. */
  const openFirst = (): number | string => {
    try {
      return env.services.vault.openClip(BATCH, clips[0] ?? '').audio.length;
    } catch (error) {
      return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  };
  /** How many times the sealed batch expiries were written; undefined while never. */
  const counter = (): number | undefined => {
    const [row] = queryDb<{ value: string }>(
      env.dataDir,
      "SELECT value FROM settings WHERE key = 'sealed.batchExpiries'",
    );
    return row ? (JSON.parse(row.value) as { counter: number }).counter : undefined;
  };
  /** The batch's sync row deleted offline, then the app started again and synced. */
  const syncWithRowDeleted = async (): Promise<void> => {
    edit('DELETE FROM sync_batches WHERE batch_id = ?', BATCH);
    await restart();
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
  };
  const audioRows = () =>
    queryDb<{ n: number }>(
      env.dataDir,
      'SELECT count(*) AS n FROM clips WHERE batch_id = ? AND audio IS NOT NULL',
      BATCH,
    );

  it('brings the copy here forward to it, and erases it once that time passes with no sync in between', async () => {
    const sooner = svc.now() + HOUR_MS;
    await setBatchExpiry(svc.service.core, operator, BATCH, sooner);
    await env.services.sync.syncNow();
    expect(local()).toMatchObject({ status: 'active', expiresAt: sooner });
    expect(env.services.vault.openClip(BATCH, clips[0] ?? '').audio.length).toBeGreaterThan(0);

    // No sync after this: the time passes on the workstation alone.
    clock.advance(HOUR_MS + 1_000);
    expect(() => env.services.vault.openClip(BATCH, clips[0] ?? '')).toThrow(/expired/);
    expect(local().status).toBe('expired');
    expect(audioRows()).toEqual([{ n: 0 }]);
  });

  it('keeps the earlier time sealed: a batch row edited back offline still ends at it', async () => {
    const packaged = local().expiresAt;
    const sooner = svc.now() + HOUR_MS;
    await setBatchExpiry(svc.service.core, operator, BATCH, sooner);
    await env.services.sync.syncNow();
    edit('UPDATE batches SET expires_at = ? WHERE id = ?', packaged, BATCH);
    await restart();
    expect(local()).toMatchObject({ status: 'active', expiresAt: packaged });
    expect(openFirst()).toBeGreaterThan(0);

    clock.advance(HOUR_MS + 1_000);
    expect(openFirst()).toMatch(/expired/);
    expect(local().status).toBe('expired');
    expect(audioRows()).toEqual([{ n: 0 }]);
  });

  it('opens no clip once that sealed time is deleted from the file', async () => {
    await setBatchExpiry(svc.service.core, operator, BATCH, svc.now() + HOUR_MS);
    await env.services.sync.syncNow();
    edit("DELETE FROM settings WHERE key = 'sealed.batchExpiries'");
    await restart();
    expect(openFirst()).toMatch(/^SealedStateError: Sealed state "batchExpiries" was rolled back/);
  });

  it('still erases a batch its own row says is due while the sealed times cannot be trusted', async () => {
    await setBatchExpiry(svc.service.core, operator, BATCH, svc.now() + HOUR_MS);
    await env.services.sync.syncNow();
    edit("DELETE FROM settings WHERE key = 'sealed.batchExpiries'");
    await restart();

    clock.advance(HOUR_MS + 1_000);
    expect(openFirst()).toMatch(/^SealedStateError/);
    expect(local().status).toBe('expired');
    expect(audioRows()).toEqual([{ n: 0 }]);
  });

  it('seals the earlier time even when the row was edited earlier still before the sync', async () => {
    const packaged = local().expiresAt;
    // Offline, before going online: the row set a little ahead, earlier than any time an
    // operator is likely to set, so the sync finds nothing to bring forward.
    const early = svc.now() + 10 * 60_000;
    edit('UPDATE batches SET expires_at = ? WHERE id = ?', early, BATCH);
    await restart();
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    await setBatchExpiry(svc.service.core, operator, BATCH, svc.now() + HOUR_MS);
    clock.advance(1_000);
    const before = env.services.sync.status().lastSyncAt;
    const synced = await env.services.sync.syncNow();
    expect(synced.connection).toBe('online');
    expect(synced.lastSyncAt).not.toBe(before);
    expect(local()).toMatchObject({ status: 'active', expiresAt: early });
    // Closed again before that little time passes, and the row put back to the package's time.
    edit('UPDATE batches SET expires_at = ? WHERE id = ?', packaged, BATCH);
    await restart();

    clock.advance(HOUR_MS + 1_000);
    expect(openFirst()).toMatch(/expired/);
  });

  it('finishes the sync cycle when the sealed times cannot be trusted and the expiry moves again', async () => {
    await setBatchExpiry(svc.service.core, operator, BATCH, svc.now() + 2 * HOUR_MS);
    await env.services.sync.syncNow();
    edit("DELETE FROM settings WHERE key = 'sealed.batchExpiries'");
    await restart();
    expect(openFirst()).toMatch(/^SealedStateError/);
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    const sooner = svc.now() + HOUR_MS;
    await setBatchExpiry(svc.service.core, operator, BATCH, sooner);
    clock.advance(1_000);
    const before = env.services.sync.status().lastSyncAt;
    // Nothing opens either way; the rest of the cycle (work sent, batches erased) still runs.
    const after = await env.services.sync.syncNow();
    expect(after.lastSyncAt).not.toBe(before);
    expect(local().expiresAt).toBe(sooner);
  });

  it('seals a time only when it is earlier than the package’s own, and again only when it moves earlier', async () => {
    const packaged = local().expiresAt;
    // The first sync checked the batch out; the next ones list it as held here, at the time sealed
    // with its clips: nothing to keep apart from them.
    await env.services.sync.syncNow();
    await env.services.sync.syncNow();
    expect(counter()).toBeUndefined();
    // One millisecond earlier is earlier.
    await setBatchExpiry(svc.service.core, operator, BATCH, packaged - 1);
    await env.services.sync.syncNow();
    expect(counter()).toBe(1);
    await env.services.sync.syncNow();
    expect(counter()).toBe(1);
    await setBatchExpiry(svc.service.core, operator, BATCH, svc.now() + HOUR_MS);
    await env.services.sync.syncNow();
    expect(counter()).toBe(2);
  });

  it('seals the service’s time when the package’s own cannot be read from the clips', async () => {
    // Every clip's sealed details swapped for another clip's: none opens under its own id.
    edit(
      `UPDATE clips SET meta = (SELECT c2.meta FROM clips c2 WHERE c2.batch_id = clips.batch_id AND c2.clip_id <> clips.clip_id)
       WHERE batch_id = ?`,
      BATCH,
    );
    await restart();
    await env.services.sync.signIn(svc.credentials());
    await env.services.sync.syncNow();
    expect(counter()).toBe(1);
  });

  it('applies an earlier expiry to a batch whose sync row was deleted from the file', async () => {
    const sooner = svc.now() + HOUR_MS;
    await setBatchExpiry(svc.service.core, operator, BATCH, sooner);
    // Offline, before the sync: the row that says the batch is the service's, gone.
    await syncWithRowDeleted();
    expect(local()).toMatchObject({ status: 'active', expiresAt: sooner });
    expect(counter()).toBe(1);

    clock.advance(HOUR_MS + 1_000);
    expect(openFirst()).toMatch(/expired/);
  });

  it.each([
    ['the service revoked', () => revokeBatch(svc.service.core, operator, BATCH)],
    [
      'handed over to another device',
      () => handOver(svc.service.core, { batchId: BATCH, kind: 'forced', actor: 'ops', source: CLI_SOURCE }),
    ],
  ])('erases a batch %s although its sync row was deleted from the file', async (_, word) => {
    await word();
    await syncWithRowDeleted();
    expect(local().status).toBe('revoked');
    expect(audioRows()).toEqual([{ n: 0 }]);
  });

  it('does not take a later expiry: the one sealed with the package still ends the batch', async () => {
    const packaged = local().expiresAt;
    await setBatchExpiry(svc.service.core, operator, BATCH, packaged + 10 * DAY_MS);
    await env.services.sync.syncNow();
    expect(local()).toMatchObject({ status: 'active', expiresAt: packaged });
  });
});
