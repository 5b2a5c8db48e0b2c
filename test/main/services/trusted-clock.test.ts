/**
 * The trusted clock over its sealed floor: it never goes back across a restart, and it refuses
 * to vouch for any time once its floor was edited in the database or restored from a backup.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type AppDatabase } from '../../../main/db/database';
import { STATE_ANCHOR_FILE } from '../../../main/crypto/key-store';
import { createSealedState, SealedStateError } from '../../../main/db/sealed-state';
import { createLogger } from '../../../main/log/logger';
import { createTrustedClock } from '../../../main/services/trusted-clock';
import { makeTestClock, type TestClock } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { testKeyStore } from '../../support/test-safe-storage';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

describe('trusted clock', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: AppDatabase;
  let sources: TestClock;
  let logs: string[];
  let keyLocked: boolean;
  let holdsBatches: boolean;
  const dbFile = (): string => join(tmp.dir, 'earmark.db');

  /** A start of the app: database, key store and clock over the data folder. */
  const start = () => {
    db = openDatabase(dbFile());
    const keyStore = testKeyStore(tmp.dir);
    const state = createSealedState({
      settings: db.settings,
      anchor: keyStore,
      newDatabase: db.created,
      deviceKey: () => {
        if (keyLocked) {
          throw new Error('Earmark is locked: unlock it to carry on.');
        }
        return keyStore.loadOrCreateDeviceKey();
      },
    });
    return createTrustedClock(
      {
        state,
        settings: db.settings,
        logger: createLogger('info', (line) => logs.push(line)),
        holdsBatches: () => holdsBatches,
      },
      sources,
    );
  };
  const restart = () => {
    db.close();
    return start();
  };
  const caught = (run: () => unknown): unknown => {
    try {
      run();
    } catch (error) {
      return error;
    }
    return undefined;
  };

  beforeEach(() => {
    tmp = makeTempDir('earmark-clock-');
    sources = makeTestClock(T0);
    logs = [];
    keyLocked = false;
    holdsBatches = false;
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('never goes back across a restart, though the wall clock was set back a day', () => {
    let clock = start();
    clock.now();
    sources.advance(5 * MINUTE_MS);
    const reached = clock.now();
    sources.setWall(reached - DAY_MS);
    clock = restart();
    expect(clock.now()).toBeGreaterThanOrEqual(reached);
  });

  it('carries the floor older versions kept in plain text into the sealed entry, once', () => {
    db = openDatabase(dbFile());
    db.settings.set('clock.lastTrusted', T0 + DAY_MS);
    const clock = restart();
    expect(clock.now()).toBeGreaterThanOrEqual(T0 + DAY_MS);
    expect(db.settings.has('clock.lastTrusted')).toBe(false);
    expect(db.settings.has('sealed.clock')).toBe(true);
    sources.setWall(T0);
    expect(restart().now()).toBeGreaterThanOrEqual(T0 + DAY_MS);
  });

  it('refuses trusted time once its row was edited in sqlite, and says so in the log', () => {
    start().now();
    db.close();
    // Someone with the disk winds the floor back by pasting a row of their own making.
    const raw = new Database(dbFile());
    raw
      .prepare('UPDATE settings SET value = ? WHERE key = ?')
      .run(
        JSON.stringify({ counter: 1, iv: 'AAAAAAAAAAAAAAAA', tag: 'AAAAAAAAAAAAAAAAAAAAAA==', data: 'AAAA' }),
        'sealed.clock',
      );
    raw.close();

    const clock = start();
    const error = caught(() => clock.now());
    expect(error).toBeInstanceOf(SealedStateError);
    expect(error).toMatchObject({ fault: 'tampered', entry: 'clock' });
    // It stays refused: a later call does not fall back to the wall clock.
    expect(caught(() => clock.now())).toBe(error);
    expect(logs.filter((l) => l.includes('trusted time is refused'))).toHaveLength(1);
  });

  it('detects an older copy of the database restored to wind the clock back', () => {
    let clock = start();
    clock.now();
    db.close();
    copyFileSync(dbFile(), join(tmp.dir, 'backup.db'));

    clock = start();
    sources.advance(2 * MINUTE_MS);
    clock.now();
    db.close();
    copyFileSync(join(tmp.dir, 'backup.db'), dbFile());
    rmSync(`${dbFile()}-wal`, { force: true });
    rmSync(`${dbFile()}-shm`, { force: true });

    clock = start();
    expect(caught(() => clock.now())).toMatchObject({ name: 'SealedStateError', fault: 'rolledBack' });
  });

  it('runs on while the device key is locked away and saves its floor once it is back', () => {
    keyLocked = true;
    const clock = start();
    const first = clock.now();
    expect(first).toBe(T0);
    expect(db.settings.has('sealed.clock')).toBe(false);
    keyLocked = false;
    sources.advance(1);
    clock.now();
    expect(db.settings.has('sealed.clock')).toBe(true);
  });

  it('does not save its floor inside a transaction that may still roll back', () => {
    const clock = start();
    expect(() =>
      db.unitOfWork.run(() => {
        clock.now();
        throw new Error('the work failed');
      }),
    ).toThrow('the work failed');
    expect(db.settings.has('sealed.clock')).toBe(false);
    clock.now();
    expect(db.settings.has('sealed.clock')).toBe(true);
    expect(restart().now()).toBeGreaterThanOrEqual(T0);
  });

  it('fails closed when its row is deleted in sqlite with batches present', () => {
    start().now();
    holdsBatches = true;
    db.close();
    const raw = new Database(dbFile());
    raw.prepare("DELETE FROM settings WHERE key = 'sealed.clock'").run();
    raw.close();
    const clock = start();
    expect(caught(() => clock.now())).toMatchObject({ name: 'SealedStateError', fault: 'rolledBack', entry: 'clock' });
  });

  it('fails closed when its row and the state anchor are both deleted with batches present', () => {
    start().now();
    holdsBatches = true;
    db.close();
    const raw = new Database(dbFile());
    raw.prepare("DELETE FROM settings WHERE key LIKE 'sealed.%'").run();
    raw.close();
    rmSync(join(tmp.dir, STATE_ANCHOR_FILE));
    const clock = start();
    expect(caught(() => clock.now())).toMatchObject({ name: 'SealedStateError', fault: 'rolledBack', entry: 'clock' });
    expect(logs.filter((l) => l.includes('trusted time is refused'))).toHaveLength(1);
  });

  it('follows service time once heard, even below its floor, and no longer reads the wall clock', () => {
    sources.setWall(T0 + 365 * DAY_MS);
    let clock = start();
    expect(clock.now()).toBe(T0 + 365 * DAY_MS);
    const sent = clock.mark();
    clock.observeServiceTime(T0, sent);
    expect(clock.now()).toBe(T0);
    expect(clock.skewMs()).toBe(365 * DAY_MS);
    sources.setWall(T0 + 730 * DAY_MS);
    sources.advance(MINUTE_MS);
    expect(clock.now()).toBe(T0 + MINUTE_MS);
    // Restarted with the clock still wrong: the offset last heard keeps the floor at service time.
    sources.setWall(T0 + 365 * DAY_MS + MINUTE_MS);
    clock = restart();
    expect(clock.now()).toBe(T0 + MINUTE_MS);
    expect(clock.skewMs()).toBeNull();
  });

  it('saves a changed offset to service time only when it moved by more than the reading could be off', () => {
    const clock = start();
    // The sealed entry counts its writes.
    const saves = (): number => (db.settings.get('sealed.clock') as { counter?: number } | undefined)?.counter ?? 0;
    clock.now();
    clock.observeServiceTime(T0 + DAY_MS, clock.mark());
    const first = saves();
    expect(first).toBeGreaterThan(0);

    // The event loop was held up for 3 s while a request was out: the service answered at once,
    // so the reading is 1.5 s off, and the offset seems to have moved by that much. It is noise.
    let sent = clock.mark();
    sources.advance(3_000);
    clock.observeServiceTime(T0 + DAY_MS, sent);
    expect(saves()).toBe(first);

    // Read within a few milliseconds, the same 1.5 s move is the local clock moving: saved.
    sent = clock.mark();
    sources.advance(4);
    clock.observeServiceTime(T0 + DAY_MS + 3_004 + 1_500, sent);
    expect(saves()).toBe(first + 1);
  });
});
