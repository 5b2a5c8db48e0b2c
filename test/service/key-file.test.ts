/**
 * Secret files the service reads at start: one made on first run is made once, whole, even when
 * another process starting on the same data folder makes it at the same moment, and no copy of
 * it is left beside it when its write fails or a process dies while making it.
 */
import * as fs from 'node:fs';
import { readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readSecretFile } from '../../service/key-file';
import { makeTempDir } from '../support/temp-dir';

// The real file system, with failures a test injects once (a full disk, another process).
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  return {
    ...real,
    writeFileSync: vi.fn(real.writeFileSync),
    writeSync: vi.fn(real.writeSync),
    fsyncSync: vi.fn(real.fsyncSync),
    linkSync: vi.fn(real.linkSync),
  };
});
const real = await vi.importActual<typeof fs>('node:fs');

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

  it('removes its draft when writing it fails part-way, and says why', () => {
    const file = join(tmp.dir, 'secret.pem');
    vi.mocked(fs.writeSync).mockImplementationOnce((fd: number) => {
      real.writeSync(fd, 'half a ke');
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    expect(() => readSecretFile(file, { what: 'test key', create: () => 'a whole key', platform: 'linux' })).toThrow(
      `The new file ${file} could not be written: ENOSPC: no space left on device, write`,
    );
    expect(readdirSync(tmp.dir)).toEqual([]);
  });

  it('removes drafts a process left when it died, once the file exists', () => {
    const file = join(tmp.dir, 'secret.pem');
    const left = ['secret.pem.0123456789ab.new', 'secret.pem.ba9876543210.new'];
    const others = ['other.pem.0123456789ab.new', 'secret.pem.notes.new'];
    for (const name of [...left, ...others]) {
      writeFileSync(join(tmp.dir, name), 'a dead process draft', { mode: 0o600 });
    }
    expect(readSecretFile(file, { what: 'test key', create: () => 'ours', platform: 'linux' })).toBe('ours');
    expect(readdirSync(tmp.dir).sort()).toEqual([...others, 'secret.pem'].sort());
    // Left beside a file that exists (the process died after linking it), at the next start.
    writeFileSync(join(tmp.dir, left[0] ?? ''), 'ours', { mode: 0o600 });
    expect(readSecretFile(file, { what: 'test key', platform: 'linux' })).toBe('ours');
    expect(readdirSync(tmp.dir).sort()).toEqual([...others, 'secret.pem'].sort());
  });

  it('reads the file another process made when that process removed this one draft first', () => {
    const file = join(tmp.dir, 'secret.pem');
    vi.mocked(fs.linkSync).mockImplementationOnce((draft, to) => {
      // The other process made the file, found this draft beside it, and removed it as spent.
      real.writeFileSync(file, 'theirs', { mode: 0o600 });
      real.rmSync(draft);
      real.linkSync(draft, to);
    });
    expect(readSecretFile(file, { what: 'test key', create: () => 'ours', platform: 'linux' })).toBe('theirs');
    expect(readdirSync(tmp.dir)).toEqual(['secret.pem']);
  });

  it('makes the file itself, owner-only, on a file system without hard links', () => {
    const file = join(tmp.dir, 'secret.pem');
    vi.mocked(fs.linkSync).mockImplementationOnce(() => {
      throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
    });
    expect(readSecretFile(file, { what: 'test key', create: () => 'ours', platform: 'linux' })).toBe('ours');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(tmp.dir)).toEqual(['secret.pem']);
  });

  it('flushes the new file to the disk before linking it into place, and the folder after', () => {
    const file = join(tmp.dir, 'secret.pem');
    const steps: string[] = [];
    vi.mocked(fs.fsyncSync).mockImplementation((fd) => {
      steps.push(real.fstatSync(fd).isDirectory() ? 'flush folder' : 'flush file');
      real.fsyncSync(fd);
    });
    vi.mocked(fs.linkSync).mockImplementationOnce((from, to) => {
      steps.push('link');
      real.linkSync(from, to);
    });
    try {
      expect(readSecretFile(file, { what: 'test key', create: () => 'ours', platform: 'linux' })).toBe('ours');
    } finally {
      vi.mocked(fs.fsyncSync).mockImplementation(real.fsyncSync);
    }
    // A power cut after the link can no longer leave the name on an empty file.
    expect(steps).toEqual(['flush file', 'link', 'flush folder']);
  });

  it('a folder that cannot be flushed is an error for the operator, naming the file', () => {
    const file = join(tmp.dir, 'secret.pem');
    vi.mocked(fs.fsyncSync).mockImplementation((fd) => {
      if (real.fstatSync(fd).isDirectory()) {
        throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      }
      real.fsyncSync(fd);
    });
    try {
      expect(() => readSecretFile(file, { what: 'test key', create: () => 'ours', platform: 'linux' })).toThrow(
        `The new file ${file} was made, but its folder could not be flushed to the disk: EIO: i/o error, fsync`,
      );
    } finally {
      vi.mocked(fs.fsyncSync).mockImplementation(real.fsyncSync);
    }
  });

  it('without hard links, a write that fails part-way leaves no short key to read at the next start', () => {
    const file = join(tmp.dir, 'secret.pem');
    vi.mocked(fs.linkSync).mockImplementationOnce(() => {
      throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
    });
    // The draft is written whole; the file made in its place fails after a few bytes.
    vi.mocked(fs.writeSync)
      .mockImplementationOnce((fd: number, b: unknown, offset?: unknown, length?: unknown) =>
        real.writeSync(fd, b as Buffer, offset as number, length as number),
      )
      .mockImplementationOnce((fd: number) => {
        real.writeSync(fd, 'half a ke');
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      });
    expect(() => readSecretFile(file, { what: 'test key', create: () => 'a whole key', platform: 'linux' })).toThrow(
      /ENOSPC/,
    );
    expect(readdirSync(tmp.dir)).toEqual([]);
  });

  it('names a symbolic link to nothing as such, and makes nothing through it', () => {
    const file = join(tmp.dir, 'secret.pem');
    symlinkSync(join(tmp.dir, 'gone.pem'), file);
    for (const create of [undefined, () => 'ours']) {
      expect(() =>
        readSecretFile(file, { what: 'test key', platform: 'linux', ...(create ? { create } : {}) }),
      ).toThrow(`The test key file ${file} is a symbolic link to ${join(tmp.dir, 'gone.pem')}, which does not exist.`);
    }
    expect(readdirSync(tmp.dir)).toEqual(['secret.pem']);
  });
});
