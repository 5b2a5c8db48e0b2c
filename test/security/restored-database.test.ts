/**
 * The database file copied aside before an erase and put back after it, with the app closed:
 * what was revoked, expired or withdrawn meanwhile must not come back readable.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../main/log/logger';
import { createServices, type Services } from '../../main/services';
import { HOUR_MS, MINUTE_MS, writeTestPackage } from '../support/packages';
import { makeTestClock, type TestClock } from '../support/services';
import { makeTempDir } from '../support/temp-dir';
import { testKeyStore } from '../support/test-safe-storage';

const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const BATCH = 'b-AAAAAAAAAAAAAAA1';
const CLIP = 'c-AAAAAAAAAAAAAAA1';

describe('a database restored from a copy taken before an erase', () => {
  let data: ReturnType<typeof makeTempDir>;
  let tmp: ReturnType<typeof makeTempDir>;
  let clock: TestClock;
  let services: Services;
  const dbFile = (): string => join(data.dir, 'earmark.db');
  const open = (): Services =>
    createServices({
      dataDir: data.dir,
      appVersion: '0.0.0-test',
      logger: silentLogger,
      keyStore: testKeyStore(data.dir),
      clock,
    });
  /** A consistent copy of the live file, as a backup tool would take it. */
  const copyAside = (): string => {
    const copy = join(tmp.dir, 'copy.db');
    const db = new Database(dbFile());
    try {
      db.exec(`VACUUM INTO '${copy}'`);
    } finally {
      db.close();
    }
    return copy;
  };
  const putBack = (copy: string): void => {
    services.close();
    rmSync(`${dbFile()}-wal`, { force: true });
    rmSync(`${dbFile()}-shm`, { force: true });
    copyFileSync(copy, dbFile());
    services = open();
  };
  /** What opening the clip gives: its audio's length, or the error's name. */
  const openClip = (): number | string => {
    try {
      return services.vault.openClip(BATCH, CLIP).audio.length;
    } catch (error) {
      return error instanceof Error ? error.name : 'unknown';
    }
  };

  beforeEach(() => {
    data = makeTempDir('earmark-restore-');
    tmp = makeTempDir('earmark-restore-copy-');
    clock = makeTestClock(T0);
    services = open();
    const file = join(tmp.dir, 'b.earmark');
    writeTestPackage(file, {
      recipient: services.vault.deviceKey().publicKey,
      batchId: BATCH,
      createdAt: new Date(T0 - MINUTE_MS),
      expiresAt: new Date(T0 + 8 * HOUR_MS),
    });
    services.vault.importPackage(file);
    expect(openClip()).toBeGreaterThan(0);
  });
  afterEach(() => {
    services.close();
    data.remove();
    tmp.remove();
  });

  it('does not open a revoked batch again', () => {
    const copy = copyAside();
    services.vault.revoke(BATCH);
    putBack(copy);
    clock.advance(1_000);
    expect(openClip()).toBe('SealedStateError');
  });

  it('does not open a clip whose consent was withdrawn again', () => {
    const copy = copyAside();
    expect(services.consent.eraseWithdrawn(BATCH, [CLIP], null)).toEqual([CLIP]);
    putBack(copy);
    clock.advance(1_000);
    expect(openClip()).toBe('SealedStateError');
  });

  it('does not open an expired batch again', () => {
    const copy = copyAside();
    services.vault.expire(BATCH);
    putBack(copy);
    clock.advance(1_000);
    expect(openClip()).toBe('SealedStateError');
  });
});
