/**
 * Rows the insider edits in the database with a tool of their own: the app must not take a
 * plain column's word for what its sealed data and the service decided.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS, writeTestPackage } from '../support/packages';
import {
  makeServices,
  makeTestClock,
  queryDb,
  serviceError,
  type ServicesEnv,
  type TestClock,
} from '../support/services';
import { makeTempDir } from '../support/temp-dir';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const BATCH = 'b-AAAAAAAAAAAAAAA1';
const CLIP = 'c-AAAAAAAAAAAAAAA1';

describe.each(['on the main thread', 'in the import worker'] as const)(
  'a batch imported %s, its expiry edited in the database',
  (how) => {
    let env: ServicesEnv;
    let clock: TestClock;
    let tmp: ReturnType<typeof makeTempDir>;

    const edit = (sql: string, ...params: unknown[]): void => {
      const db = new Database(join(env.dataDir, 'earmark.db'));
      try {
        db.prepare(sql).run(...params);
      } finally {
        db.close();
      }
    };
    const keysLeft = (): number | undefined =>
      queryDb<{ n: number }>(env.dataDir, 'SELECT count(*) AS n FROM batch_keys WHERE batch_id = ?', BATCH)[0]?.n;

    beforeEach(async () => {
      clock = makeTestClock(T0);
      env = makeServices({ clock });
      tmp = makeTempDir('earmark-rows-');
      const file = join(tmp.dir, 'b.earmark');
      writeTestPackage(file, {
        recipient: env.services.vault.deviceKey().publicKey,
        batchId: BATCH,
        createdAt: new Date(T0 - MINUTE_MS),
        expiresAt: new Date(T0 + HOUR_MS),
      });
      if (how === 'on the main thread') {
        env.services.vault.importPackage(file);
      } else {
        await env.services.vault.importInBackground(file);
      }
      // A year more, written straight into the file.
      edit('UPDATE batches SET expires_at = ? WHERE id = ?', T0 + 365 * DAY_MS, BATCH);
    });
    afterEach(() => {
      env.dispose();
      tmp.remove();
    });

    it('still opens its clips before the expiry the package set', () => {
      clock.advance(HOUR_MS - MINUTE_MS);
      expect(env.services.vault.openClip(BATCH, CLIP).audio.length).toBeGreaterThan(0);
    });

    it('erases the batch at the expiry the package set, on the first clip opened after it', () => {
      clock.advance(HOUR_MS);
      expect(serviceError('EXPIRED', () => env.services.vault.openClip(BATCH, CLIP))).toMatch(/its audio is gone/);
      expect(env.services.batches.get(BATCH).status).toBe('expired');
      expect(keysLeft()).toBe(0);
    });

    it('erases it on the clip list after a restart too', () => {
      env.reopen();
      clock.advance(2 * HOUR_MS);
      expect(serviceError('EXPIRED', () => env.services.vault.listClips(BATCH))).toMatch(/its audio is gone/);
      expect(keysLeft()).toBe(0);
    });
  },
);
