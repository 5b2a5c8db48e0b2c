import Database from 'better-sqlite3';
import { openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storageErrorCode } from '../../../main/services/storage-error';
import { makeTempDir } from '../../support/temp-dir';

/** The error `work` throws. */
function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('Nothing was thrown.');
}

describe('storage errors: what a failed write says about the disk', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;

  beforeEach(() => {
    tmp = makeTempDir('earmark-storage-');
    file = join(tmp.dir, 'earmark.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x BLOB)');
    db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(64 * 1024, 1));
    db.close();
  });
  afterEach(() => tmp.remove());

  it('names a full disk: SQLite refusing to grow the file past its limit', () => {
    // SQLite's own SQLITE_FULL, produced without privileges: the file may not grow past its pages.
    const db = new Database(file);
    const pages = (db.pragma('page_count', { simple: true }) as number) + 1;
    db.pragma(`max_page_count = ${pages}`);
    const error = thrown(() => db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(64 * 1024, 2)));
    db.close();
    expect((error as { code: string }).code).toBe('SQLITE_FULL');
    expect(storageErrorCode(error)).toBe('STORAGE_FULL');
  });

  it('names a data folder that cannot be written', () => {
    const db = new Database(file, { readonly: true });
    const error = thrown(() => db.prepare('INSERT INTO t VALUES (?)').run(Buffer.alloc(1)));
    db.close();
    expect((error as { code: string }).code).toMatch(/^SQLITE_READONLY/);
    expect(storageErrorCode(error)).toBe('STORAGE_READONLY');
  });

  it('names a damaged file: a page overwritten', () => {
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 4096);
    closeSync(fd);
    const db = new Database(file);
    const error = thrown(() => db.prepare('SELECT count(*) FROM t').get());
    db.close();
    expect((error as { code: string }).code).toMatch(/^SQLITE_(CORRUPT|NOTADB)/);
    expect(storageErrorCode(error)).toBe('STORAGE_CORRUPT');
  });

  it('names a failing disk: an I/O error (injected at the better-sqlite3 boundary)', () => {
    // A real EIO needs a failing device; better-sqlite3's own error class with SQLite's extended code stands in.
    expect(storageErrorCode(new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_WRITE'))).toBe('STORAGE_IO');
    expect(storageErrorCode(Object.assign(new Error('write'), { code: 'ENOSPC' }))).toBe('STORAGE_FULL');
    expect(storageErrorCode(Object.assign(new Error('write'), { code: 'EIO' }))).toBe('STORAGE_IO');
  });

  it('leaves every other failure alone', () => {
    expect(storageErrorCode(new Database.SqliteError('constraint', 'SQLITE_CONSTRAINT_PRIMARYKEY'))).toBeUndefined();
    expect(storageErrorCode(new Error('plain'))).toBeUndefined();
    expect(storageErrorCode(null)).toBeUndefined();
    expect(storageErrorCode(new Database.SqliteError('x', 'SQLITE_FULLNESS'))).toBeUndefined();
  });
});
