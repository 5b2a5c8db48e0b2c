/**
 * The sealed monotonic state under the attacks it exists for: a row edited in sqlite, a row
 * copied under another name, an older copy of the database restored over the current one, and
 * the anchor beside the device key removed or damaged.
 */
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { STATE_ANCHOR_FILE } from '../../../main/crypto/key-store';
import { openDatabase, type AppDatabase } from '../../../main/db/database';
import { createSealedState, SealedStateError, type SealedRead } from '../../../main/db/sealed-state';
import { makeTempDir } from '../../support/temp-dir';
import { testKeyStore } from '../../support/test-safe-storage';

const count = z.number().int();

describe('sealed monotonic state', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: AppDatabase;
  const dbFile = (): string => join(tmp.dir, 'earmark.db');

  /** Opens the database and the sealed state over the data folder, as a start of the app does. */
  const start = () => {
    db = openDatabase(dbFile());
    const keyStore = testKeyStore(tmp.dir);
    return createSealedState({
      settings: db.settings,
      anchor: keyStore,
      newDatabase: db.created,
      deviceKey: () => keyStore.loadOrCreateDeviceKey(),
    });
  };
  const restart = () => {
    db.close();
    return start();
  };
  /** Runs SQL on the database file with a connection of its own, as someone with the disk would. */
  const tamper = (sql: string, ...params: unknown[]): void => {
    const raw = new Database(dbFile());
    try {
      raw.prepare(sql).run(...params);
    } finally {
      raw.close();
    }
  };
  const row = (key: string): string => {
    const raw = new Database(dbFile(), { readonly: true });
    try {
      return raw.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(key)?.value ?? '';
    } finally {
      raw.close();
    }
  };
  const fault = <T>(found: SealedRead<T>): SealedStateError => {
    if (found.state !== 'refused') {
      throw new Error(`expected a refusal, got ${found.state}`);
    }
    return found.error;
  };

  beforeEach(() => {
    tmp = makeTempDir('earmark-sealed-');
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  it('reads back each value it advanced, counting up from 1, across a restart', () => {
    let state = start();
    expect(state.read('clock', count)).toEqual({ state: 'absent' });
    state.advance('clock', count, 41);
    expect(state.read('clock', count)).toEqual({ state: 'present', value: 41, counter: 1 });
    // Ten digits: base64 ciphertext holds a given two-digit run by chance about once in a hundred rows.
    state.advance('clock', count, 4_271_828_182);
    state = restart();
    expect(state.read('clock', count)).toEqual({ state: 'present', value: 4_271_828_182, counter: 2 });
    expect(existsSync(join(tmp.dir, STATE_ANCHOR_FILE))).toBe(true);
    // The row holds no value in the clear.
    expect(row('sealed.clock')).not.toContain('4271828182');
  });

  it('refuses a row edited in sqlite: its sealed value, or its counter raised to pass the anchor', () => {
    const state = start();
    state.advance('clock', count, 1_000);
    const sealed = JSON.parse(row('sealed.clock')) as { counter: number; sealed: string };
    const flipped = Buffer.from(sealed.sealed, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    tamper(
      'UPDATE settings SET value = ? WHERE key = ?',
      JSON.stringify({ ...sealed, sealed: flipped.toString('base64') }),
      'sealed.clock',
    );
    expect(fault(state.read('clock', count))).toMatchObject({ fault: 'tampered', entry: 'clock' });

    tamper('UPDATE settings SET value = ? WHERE key = ?', JSON.stringify({ ...sealed, counter: 99 }), 'sealed.clock');
    expect(fault(state.read('clock', count)).fault).toBe('tampered');

    tamper('UPDATE settings SET value = ? WHERE key = ?', '{"counter":"lots"}', 'sealed.clock');
    expect(fault(state.read('clock', count)).fault).toBe('tampered');
  });

  it('refuses a row copied from another entry, though both were sealed by this device', () => {
    const state = start();
    state.advance('unlockFailures', count, 0);
    state.advance('clock', count, 1_767_225_600_000);
    // Try to reset the wrong-try count by pasting in the clock's row (counter 1, like its own).
    tamper(
      "UPDATE settings SET value = (SELECT value FROM settings WHERE key = 'sealed.clock') WHERE key = ?",
      'sealed.unlockFailures',
    );
    expect(fault(state.read('unlockFailures', count))).toMatchObject({ fault: 'tampered', entry: 'unlockFailures' });
    expect(state.read('clock', count)).toMatchObject({ state: 'present', value: 1_767_225_600_000 });
  });

  it('detects an older copy of the database file restored over the current one', () => {
    let state = start();
    state.advance('unlockFailures', count, 0);
    db.close();
    const backup = join(tmp.dir, 'backup.db');
    copyFileSync(dbFile(), backup);

    state = start();
    state.advance('unlockFailures', count, 1);
    state.advance('unlockFailures', count, 2);
    db.close();
    // The attacker puts the backup back, hoping for a fresh count of wrong tries.
    copyFileSync(backup, dbFile());
    rmSync(`${dbFile()}-wal`, { force: true });
    rmSync(`${dbFile()}-shm`, { force: true });

    state = start();
    const error = fault(state.read('unlockFailures', count));
    expect(error).toBeInstanceOf(SealedStateError);
    expect(error).toMatchObject({ fault: 'rolledBack', entry: 'unlockFailures' });
    expect(error.message).toMatch(/counter 1, but 3 was written/);
    // Writing on top does not launder the rollback.
    expect(() => state.advance('unlockFailures', count, 0)).toThrow(SealedStateError);
  });

  it('starts over with a new database: a deleted database file is a fresh start, not a rollback', () => {
    let state = start();
    state.advance('clock', count, 5);
    state.advance('clock', count, 6);
    db.close();
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(`${dbFile()}${suffix}`, { force: true });
    }

    state = start();
    expect(db.created).toBe(true);
    expect(state.read('clock', count)).toEqual({ state: 'absent' });
    state.advance('clock', count, 1);
    state = restart();
    expect(db.created).toBe(false);
    expect(state.read('clock', count)).toEqual({ state: 'present', value: 1, counter: 1 });
  });

  it('still detects an older copy taken before the first write, since that database is not new', () => {
    let state = start();
    db.close();
    const backup = join(tmp.dir, 'empty-backup.db');
    copyFileSync(dbFile(), backup);
    state = start();
    state.advance('clock', count, 9);
    db.close();
    copyFileSync(backup, dbFile());
    rmSync(`${dbFile()}-wal`, { force: true });
    rmSync(`${dbFile()}-shm`, { force: true });

    state = start();
    expect(db.created).toBe(false);
    expect(fault(state.read('clock', count))).toMatchObject({ fault: 'rolledBack', entry: 'clock' });
  });

  it('detects an entry whose row was deleted after it was written', () => {
    const state = start();
    state.advance('committedWork', count, 7);
    tamper('DELETE FROM settings WHERE key = ?', 'sealed.committedWork');
    expect(fault(state.read('committedWork', count)).fault).toBe('rolledBack');
  });

  it('refuses rows once the anchor beside the device key is deleted or damaged', () => {
    let state = start();
    state.advance('clock', count, 5);
    rmSync(join(tmp.dir, STATE_ANCHOR_FILE));
    state = restart();
    expect(fault(state.read('clock', count)).fault).toBe('tampered');

    writeFileSync(join(tmp.dir, STATE_ANCHOR_FILE), Buffer.from('not an anchor'));
    expect(fault(state.read('clock', count)).fault).toBe('tampered');
  });

  it('reads a row that is ahead of the anchor (a crash between the two writes) as valid', () => {
    let state = start();
    state.advance('clock', count, 1);
    const anchorFile = join(tmp.dir, STATE_ANCHOR_FILE);
    const anchorAt1 = join(tmp.dir, 'anchor-at-1');
    copyFileSync(anchorFile, anchorAt1);
    state.advance('clock', count, 2);
    // The row reached counter 2; the anchor write did not happen.
    copyFileSync(anchorAt1, anchorFile);
    state = restart();
    expect(state.read('clock', count)).toEqual({ state: 'present', value: 2, counter: 2 });
    state.advance('clock', count, 3);
    expect(state.read('clock', count)).toEqual({ state: 'present', value: 3, counter: 3 });
  });

  it('never advances inside a transaction, whose row could roll back under the anchor', () => {
    const state = start();
    expect(() => db.unitOfWork.run(() => state.advance('clock', count, 1))).toThrow(/outside a transaction/);
    expect(state.read('clock', count)).toEqual({ state: 'absent' });
  });

  it('does not read or write without the device key (a locked app)', () => {
    db = openDatabase(dbFile());
    const locked = createSealedState({
      settings: db.settings,
      anchor: testKeyStore(tmp.dir),
      deviceKey: () => {
        throw new Error('locked');
      },
    });
    expect(() => locked.read('clock', count)).toThrow('locked');
    expect(() => locked.advance('clock', count, 1)).toThrow('locked');
    expect(existsSync(join(tmp.dir, STATE_ANCHOR_FILE))).toBe(false);
  });
});
