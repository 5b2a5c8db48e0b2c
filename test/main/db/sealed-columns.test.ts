import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IV_BYTES, TAG_BYTES } from '../../../core/crypto/aead';
import { openConnection, type Connection } from '../../../main/db/connection';
import { sealedFromBytes } from '../../../core/crypto/codec';
import { sealedColumns } from '../../../main/db/sealed-columns';
import { makeTempDir } from '../../support/temp-dir';

describe('sealedColumns', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'earmark.db'));
    db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY, iv BLOB, tag BLOB, ct BLOB) STRICT');
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  const read = (): { n: number; joined: Buffer | null }[] =>
    db
      .prepare<[], { n: number; joined: Buffer | null }>(
        `SELECT n, ${sealedColumns('iv', 'tag', 'ct')} AS joined FROM t ORDER BY n`,
      )
      .all();

  it('gives back every byte of the three columns, NULs, invalid UTF-8 and an empty ciphertext included', () => {
    const insert = db.prepare('INSERT INTO t (n, iv, tag, ct) VALUES (?, ?, ?, ?)');
    const parts = Array.from({ length: 300 }, (_, n) => ({
      iv: n === 0 ? Buffer.alloc(IV_BYTES) : randomBytes(IV_BYTES),
      tag: n === 1 ? Buffer.alloc(TAG_BYTES, 0xff) : randomBytes(TAG_BYTES),
      // Empty, all zero bytes, a lone UTF-8 lead byte, and random lengths.
      ciphertext:
        n === 2 ? Buffer.alloc(0) : n === 3 ? Buffer.alloc(40) : n === 4 ? Buffer.from([0xc3]) : randomBytes(n % 257),
    }));
    parts.forEach((p, n) => insert.run(n, p.iv, p.tag, p.ciphertext));

    const rows = read();
    expect(rows).toHaveLength(parts.length);
    rows.forEach(({ n, joined }) => {
      expect(Buffer.isBuffer(joined)).toBe(true);
      const got = sealedFromBytes(joined as Buffer);
      const want = parts[n];
      expect(want).toBeDefined();
      expect(got.iv.equals(want?.iv ?? Buffer.alloc(0))).toBe(true);
      expect(got.tag.equals(want?.tag ?? Buffer.alloc(0))).toBe(true);
      expect(got.ciphertext.equals(want?.ciphertext ?? Buffer.alloc(1))).toBe(true);
    });
  });

  it('reads NULL when any of the columns is NULL', () => {
    const insert = db.prepare('INSERT INTO t (n, iv, tag, ct) VALUES (?, ?, ?, ?)');
    insert.run(0, null, randomBytes(TAG_BYTES), randomBytes(8));
    insert.run(1, randomBytes(IV_BYTES), null, randomBytes(8));
    insert.run(2, randomBytes(IV_BYTES), randomBytes(TAG_BYTES), null);
    expect(read().map((r) => r.joined)).toEqual([null, null, null]);
  });

  it('reads in a database of the encoding the app creates', () => {
    expect(db.pragma('encoding', { simple: true })).toBe('UTF-8');
  });
});
