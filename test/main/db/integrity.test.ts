import Database from 'better-sqlite3';
import { closeSync, cpSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openConnection } from '../../../main/db/connection';
import { DatabaseCorruptError, quickCheck } from '../../../main/db/integrity';
import { silentLogger } from '../../../main/log/logger';
import { createServices, type Services } from '../../../main/services';
import { storageErrorCode } from '../../../main/services/storage-error';
import { writeTestPackage } from '../../support/packages';
import { makeServices, queryDb, type ServicesEnv } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { testKeyStore } from '../../support/test-safe-storage';

const PAGE = 4096;

/** Overwrites page `n` (1-based, as SQLite numbers them) with a pattern, as a bad sector might. */
function overwritePage(file: string, n: number): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(PAGE, 0xa5), 0, PAGE, (n - 1) * PAGE);
  } finally {
    closeSync(fd);
  }
}

/** The first page of the b-tree `name` (a table or an index). */
function rootPage(file: string, name: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare<[string], { rootpage: number }>('SELECT rootpage FROM sqlite_master WHERE name = ?')
      .get(name);
    if (!row) {
      throw new Error(`No b-tree named ${name}.`);
    }
    return row.rootpage;
  } finally {
    db.close();
  }
}

/** What a thrown call threw. */
function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('The call succeeded.');
}

describe('quick check at start: a damaged database stops the app before it writes', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    env = makeServices();
    tmp = makeTempDir('earmark-integrity-');
    const built = writeTestPackage(join(tmp.dir, 'b.earmark'), { recipient: env.services.vault.deviceKey().publicKey });
    const { batchId } = env.services.vault.importPackage(built.file);
    env.services.annotations.submit({
      batchId,
      clipId: 'c-AAAAAAAAAAAAAAA1',
      basedOnRevision: 0,
      disposition: 'transcribed',
      body: { transcript: 'turn on the kitchen lights', critical: [], entities: [] },
    });
    // Closing the last connection checkpoints the WAL into the file the test damages.
    env.services.close();
  });
  afterEach(() => {
    env.reopen();
    env.dispose();
    tmp.remove();
  });

  const openCopy = (copy: string): Services =>
    createServices({ dataDir: copy, appVersion: '0.0.0-test', logger: silentLogger, keyStore: testKeyStore(copy) });

  it('finds nothing wrong with a sound file', () => {
    const db = openConnection(join(env.dataDir, 'earmark.db'));
    try {
      expect(quickCheck(db)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('refuses to start over a copy with one overwritten page, as STORAGE_CORRUPT, writing nothing', () => {
    const copy = join(tmp.dir, 'copy');
    cpSync(env.dataDir, copy, { recursive: true });
    const file = join(copy, 'earmark.db');
    overwritePage(file, rootPage(file, 'annotations'));
    const before = readFileSync(file);

    const error = thrown(() => openCopy(copy));

    expect(error).toBeInstanceOf(DatabaseCorruptError);
    expect(storageErrorCode(error)).toBe('STORAGE_CORRUPT');
    expect((error as DatabaseCorruptError).problems.length).toBeGreaterThan(0);
    // Nothing was written to the damaged file: no migration, no sweep, no acknowledgement.
    expect(readFileSync(file).equals(before)).toBe(true);
    // The original, untouched, still holds the submit.
    expect(queryDb<{ n: number }>(env.dataDir, 'SELECT count(*) AS n FROM annotations')).toEqual([{ n: 1 }]);
  });

  it('refuses a copy whose first page (the header) is overwritten the same way', () => {
    const copy = join(tmp.dir, 'copy-header');
    cpSync(env.dataDir, copy, { recursive: true });
    overwritePage(join(copy, 'earmark.db'), 1);
    expect(storageErrorCode(thrown(() => openCopy(copy)))).toBe('STORAGE_CORRUPT');
  });
});
