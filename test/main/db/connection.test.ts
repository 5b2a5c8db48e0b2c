import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointWal, openConnection, type Connection } from '../../../main/db/connection';
import { makeTempDir } from '../../support/temp-dir';

describe('checkpointWal', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let writer: Connection;
  let other: Connection;
  let file: string;

  beforeEach(() => {
    tmp = makeTempDir();
    file = join(tmp.dir, 'earmark.db');
    writer = openConnection(file);
    // Only the checkpoint under test moves pages into the file.
    writer.pragma('wal_autocheckpoint = 0');
    other = openConnection(file);
    other.pragma('wal_autocheckpoint = 0');
  });
  afterEach(() => {
    writer.close();
    other.close();
    tmp.remove();
  });

  it('moves committed pages into the database file from another connection, while a writer holds the lock', () => {
    writer.exec('CREATE TABLE t (data BLOB) STRICT');
    const insert = writer.prepare('INSERT INTO t VALUES (?)');
    writer.transaction(() => {
      for (let i = 0; i < 64; i += 1) {
        insert.run(Buffer.alloc(4096, i));
      }
    })();
    const before = statSync(file).size;
    // A write transaction in progress: the checkpoint must neither wait for it nor fail.
    writer.exec('BEGIN IMMEDIATE');
    other.pragma('busy_timeout = 0');
    checkpointWal(other);
    writer.exec('ROLLBACK');
    expect(before).toBeLessThan(64 * 4096);
    expect(statSync(file).size).toBeGreaterThanOrEqual(64 * 4096);
    expect(other.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 64 });
  });
});

describe('openConnection with a small page cache', () => {
  let tmp: ReturnType<typeof makeTempDir>;

  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => {
    tmp.remove();
  });

  it('sets the cache, and commits a transaction many times its size whole', () => {
    const file = join(tmp.dir, 'earmark.db');
    const small = openConnection(file, { cacheKib: 64 });
    const reader = openConnection(file);
    try {
      expect(small.pragma('cache_size', { simple: true })).toBe(-64);
      expect(reader.pragma('cache_size', { simple: true })).not.toBe(-64);
      small.exec('CREATE TABLE t (n INTEGER PRIMARY KEY, data BLOB) STRICT');
      const insert = small.prepare('INSERT INTO t VALUES (?, ?)');
      // 2 MiB in one transaction: 32 times the cache, so pages leave it before the commit.
      small.transaction(() => {
        for (let i = 0; i < 256; i += 1) {
          insert.run(i, Buffer.alloc(8192, i));
        }
        // Not visible to another connection until the commit.
        expect(reader.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
      })();
      const rows = reader.prepare<[], { n: number; data: Buffer }>('SELECT n, data FROM t ORDER BY n').all();
      expect(rows).toHaveLength(256);
      expect(rows.every((r) => r.data.length === 8192 && r.data.every((b) => b === r.n % 256))).toBe(true);
    } finally {
      small.close();
      reader.close();
    }
  });

  it('refuses a cache size SQLite would read as another, and creates no file for it', () => {
    for (const kib of [0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1024 * 1024 + 1]) {
      const file = join(tmp.dir, `bad-${String(kib)}.db`);
      expect(() => openConnection(file, { cacheKib: kib }), String(kib)).toThrow(RangeError);
      expect(existsSync(file), String(kib)).toBe(false);
    }
  });
});
