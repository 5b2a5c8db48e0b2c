import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replaceFile, syncFolder, writeSynced, type SyncFs } from '../../../core/fs/durable-file';
import { createPowerCutFs, type PowerCut } from '../../support/power-cut-fs';

const TARGET = '/data/state-anchor.bin';
const OLD = 'old anchor text';
const NEW = 'new anchor text, longer than the old one';
const cuts: PowerCut[] = ['names-kept', 'names-lost'];
const text = (b: Buffer | undefined): string | undefined => b?.toString('utf8');
/** The errno code `work` throws, or undefined when it throws none. */
function codeThrown(work: () => void): string | undefined {
  try {
    work();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'no code';
  }
  return undefined;
}

/** How the files were written before: bytes and a rename, with no flush. */
function replaceUnflushed(fs: SyncFs, target: string, data: string): void {
  const fd = fs.openSync(`${target}.tmp`, 'w', 0o600);
  fs.writeSync(fd, Buffer.from(data));
  fs.closeSync(fd);
  fs.renameSync(`${target}.tmp`, target);
}

describe('the power-cut model', () => {
  it('shows the hazard: a replacement not flushed can come back empty', () => {
    const fs = createPowerCutFs();
    fs.seed(TARGET, OLD);
    replaceUnflushed(fs, TARGET, NEW);
    expect(text(fs.read(TARGET))).toBe(NEW);
    // The journal kept the rename, the bytes never reached the disk: the name holds nothing.
    expect(text(fs.afterPowerCut(TARGET, 'names-kept'))).toBe('');
  });
});

describe('replaceFile', () => {
  it.each(cuts)('leaves the old bytes or the new, whole, after a power cut (%s)', (cut) => {
    for (const lasting of [false, true]) {
      const fs = createPowerCutFs();
      fs.seed(TARGET, OLD);
      replaceFile(TARGET, NEW, { mode: 0o600, lasting, fs, platform: 'linux' });
      expect(text(fs.read(TARGET))).toBe(NEW);
      expect([OLD, NEW]).toContain(text(fs.afterPowerCut(TARGET, cut)));
    }
  });

  it('with lasting, the new bytes are what a power cut leaves, even if the journal lost the rename', () => {
    const fs = createPowerCutFs();
    fs.seed(TARGET, OLD);
    replaceFile(TARGET, NEW, { mode: 0o600, lasting: true, fs, platform: 'linux' });
    for (const cut of cuts) {
      expect(text(fs.afterPowerCut(TARGET, cut))).toBe(NEW);
    }
    expect(fs.paths()).toEqual([TARGET]);
  });

  it('makes a first file that a power cut leaves whole or absent, never empty', () => {
    for (const lasting of [false, true]) {
      const fs = createPowerCutFs();
      replaceFile(TARGET, NEW, { mode: 0o600, lasting, fs, platform: 'linux' });
      for (const cut of cuts) {
        const after = text(fs.afterPowerCut(TARGET, cut));
        expect(after === undefined ? [] : [after]).toEqual(lasting || cut === 'names-kept' ? [NEW] : []);
      }
    }
  });

  it('a full disk mid-write: the error stands, the target keeps its bytes, no temporary file is left', () => {
    const fs = createPowerCutFs();
    fs.seed(TARGET, OLD);
    fs.failNextWrite('ENOSPC', 4);
    expect(codeThrown(() => replaceFile(TARGET, NEW, { mode: 0o600, lasting: true, fs, platform: 'linux' }))).toBe(
      'ENOSPC',
    );
    expect(text(fs.read(TARGET))).toBe(OLD);
    expect(fs.paths()).toEqual([TARGET]);
    for (const cut of cuts) {
      expect(text(fs.afterPowerCut(TARGET, cut))).toBe(OLD);
    }
  });

  it('writes a text that takes several writes in full', () => {
    const fs = createPowerCutFs();
    const short: SyncFs = {
      ...fs,
      // A disk that takes at most 3 bytes per call, as a real write may return short.
      writeSync: ((fd: number, b: Uint8Array, offset: number, length: number) =>
        fs.writeSync(fd, b, offset, Math.min(3, length))) as SyncFs['writeSync'],
    };
    replaceFile(TARGET, NEW, { mode: 0o600, lasting: true, fs: short, platform: 'linux' });
    expect(text(fs.afterPowerCut(TARGET, 'names-lost'))).toBe(NEW);
  });
});

describe('on the real file system', () => {
  let dir = '';
  afterEach(() => {
    if (dir) {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replaces a file with the mode asked for and leaves nothing beside it', () => {
    dir = mkdtempSync(join(tmpdir(), 'earmark-durable-'));
    const file = join(dir, 'anchor.bin');
    replaceFile(file, OLD, { mode: 0o600, lasting: true });
    replaceFile(file, Buffer.from(NEW), { mode: 0o600, lasting: false });
    expect(readFileSync(file, 'utf8')).toBe(NEW);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['anchor.bin']);
  });

  it('writeSynced with wx refuses a path that exists; syncFolder flushes a real folder', () => {
    dir = mkdtempSync(join(tmpdir(), 'earmark-durable-'));
    const file = join(dir, 'key');
    writeSynced(file, 'k', { mode: 0o600, flag: 'wx' });
    expect(codeThrown(() => writeSynced(file, 'again', { mode: 0o600, flag: 'wx' }))).toBe('EEXIST');
    expect(readFileSync(file, 'utf8')).toBe('k');
    expect(() => syncFolder(dir)).not.toThrow();
  });

  it('takes a folder the file system cannot flush, and throws an I/O error', () => {
    const fs = createPowerCutFs();
    const refusing = (code: string): SyncFs => ({
      ...fs,
      fsyncSync: ((fd: number) => {
        if (fd === lastFolderFd) {
          throw Object.assign(new Error(code), { code });
        }
        fs.fsyncSync(fd);
      }) as SyncFs['fsyncSync'],
      openSync: ((path: string, flag: string, mode?: number) => {
        const fd = fs.openSync(path, flag, mode);
        if (flag === 'r') {
          lastFolderFd = fd;
        }
        return fd;
      }) as SyncFs['openSync'],
    });
    let lastFolderFd = -1;
    expect(() => syncFolder('/data', { fs: refusing('EINVAL'), platform: 'linux' })).not.toThrow();
    expect(codeThrown(() => syncFolder('/data', { fs: refusing('EIO'), platform: 'linux' }))).toBe('EIO');
  });

  it('does not open a folder on Windows, where it cannot be flushed', () => {
    const fs = createPowerCutFs();
    const opened: string[] = [];
    const watching: SyncFs = {
      ...fs,
      openSync: ((path: string, flag: string, mode?: number) => {
        opened.push(`${flag} ${path}`);
        return fs.openSync(path, flag, mode);
      }) as SyncFs['openSync'],
    };
    replaceFile(TARGET, NEW, { mode: 0o600, lasting: true, fs: watching, platform: 'win32' });
    expect(opened).toEqual([`w ${TARGET}.tmp`]);
    replaceFile(TARGET, NEW, { mode: 0o600, lasting: true, fs: watching, platform: 'linux' });
    expect(opened).toEqual([`w ${TARGET}.tmp`, `w ${TARGET}.tmp`, 'r /data']);
  });
});
