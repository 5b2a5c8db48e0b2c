/**
 * Secret files the service reads at start: one made on first run is made once, whole, even when
 * another process starting on the same data folder makes it at the same moment.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSecretFile } from '../../service/key-file';
import { makeTempDir } from '../support/temp-dir';

describe('secret files', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir('earmark-key-file-');
  });
  afterEach(() => tmp.remove());

  it('makes a missing file owner-only, leaving nothing else beside it', () => {
    const file = join(tmp.dir, 'secret.pem');
    expect(readSecretFile(file, { what: 'test key', create: () => 'ours', platform: 'linux' })).toBe('ours');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(tmp.dir)).toEqual(['secret.pem']);
  });

  it('reads the key another process made while this one was making its own, and keeps that one', () => {
    const file = join(tmp.dir, 'secret.pem');
    const text = readSecretFile(file, {
      what: 'test key',
      platform: 'linux',
      create: () => {
        // The other process gets there between this one's look and its write.
        writeFileSync(file, 'theirs', { mode: 0o600 });
        return 'ours';
      },
    });
    expect(text).toBe('theirs');
    expect(readSecretFile(file, { what: 'test key', platform: 'linux' })).toBe('theirs');
    expect(readdirSync(tmp.dir)).toEqual(['secret.pem']);
  });
});
