import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wrappedKeyFromBytes, wrappedKeyToBytes } from '../../../../core/crypto/codec';
import { generateDeviceKey } from '../../../../core/crypto/device-key';
import { unwrapBatchKey, wrapBatchKey } from '../../../../core/crypto/key-wrap';
import { openConnection, type Connection } from '../../../../main/db/connection';
import { migrate } from '../../../../main/db/migrate';
import { migrations } from '../../../../main/db/migrations';
import { makeTempDir } from '../../../support/temp-dir';

describe('migration 0006 (wrapped-key encoding)', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let db: Connection;

  beforeEach(() => {
    tmp = makeTempDir();
    db = openConnection(join(tmp.dir, 'test.db'));
    migrate(
      db,
      migrations.filter((m) => m.version <= 5),
    );
  });
  afterEach(() => {
    db.close();
    tmp.remove();
  });

  const addBatch = (id: string, keyId: string, wrap: Buffer): void => {
    db.prepare(
      "INSERT INTO batches (id, locale, clip_count, created_at, expires_at, imported_at, status) VALUES (?, 'en-US', 1, 0, 9, 0, 'active')",
    ).run(id);
    db.prepare('INSERT INTO batch_keys (batch_id, key_id, wrap) VALUES (?, ?, ?)').run(id, keyId, wrap);
  };
  const wrapOf = (id: string): Buffer =>
    (db.prepare('SELECT wrap FROM batch_keys WHERE batch_id = ?').get(id) as { wrap: Buffer }).wrap;

  it('re-encodes a key stored in the earlier short form, so it still unwraps to the same batch key', () => {
    const device = generateDeviceKey();
    const batchKey = randomBytes(32);
    const w = wrapBatchKey(batchKey, device.publicKey, 'b1');
    const short = {
      e: w.ephemeralPublicKey.toString('base64'),
      s: w.salt.toString('base64'),
      i: w.iv.toString('base64'),
      t: w.tag.toString('base64'),
      k: w.wrappedKey.toString('base64'),
    };
    addBatch('b1', w.keyId, Buffer.from(JSON.stringify(short)));

    expect(
      migrate(
        db,
        migrations.filter((m) => m.version <= 6),
      ),
    ).toEqual([6]);

    const stored = wrapOf('b1');
    expect(stored).toEqual(wrappedKeyToBytes(w));
    expect(unwrapBatchKey(wrappedKeyFromBytes(stored), device, 'b1')).toEqual(batchKey);
  });

  it('leaves a key already in the package encoding as it is', () => {
    const device = generateDeviceKey();
    const w = wrapBatchKey(randomBytes(32), device.publicKey, 'b2');
    addBatch('b2', w.keyId, wrappedKeyToBytes(w));

    migrate(db);

    expect(wrapOf('b2')).toEqual(wrappedKeyToBytes(w));
  });
});
