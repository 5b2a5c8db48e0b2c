import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { replaceFile, syncFolder, writeSynced, type SyncFs } from '../../../core/fs/durable-file';
import { createPowerCutFs, type PowerCut, type PowerCutFs } from '../../support/power-cut-fs';

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

/** A disk whose next write fails with `code` and whose closes then fail too. */
function closingAfter(fs: PowerCutFs, code: string): SyncFs {
  fs.failNextWrite(code, 1);
  return {
    ...fs,
    closeSync: ((fd: number) => {
      fs.closeSync(fd);
      throw Object.assign(new Error('EBADF on close'), { code: 'EBADF' });
    }) as SyncFs['closeSync'],
  };
}

/** How the files were written before: bytes and a rename, with no flush. */
function replaceUnflushed(fs: SyncFs, target: string, data: string): void {
  const fd = fs.openSync(`${target}.tmp`, 'w', 0o600);
  fs.writeSync(fd, Buffer.from(data));
  fs.closeSync(fd);
  fs.renameSync(`${target}.tmp`, target);
}

/** Every moment of `work` at which a power cut leaves `TARGET` holding something other than `allowed`. */
function badMoments(fs: PowerCutFs, allowed: readonly (string | undefined)[], work: () => void): string[] {
  const bad: string[] = [];
  let step = 0;
  fs.everyStep(() => {
    step += 1;
    for (const cut of cuts) {
      const left = text(fs.afterPowerCut(TARGET, cut));
      if (!allowed.includes(left)) {
        bad.push(`step ${step}, ${cut}: ${JSON.stringify(left)}`);
      }
    }
  });
  work();
  return bad;
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

  it('sees a moment in between: flushing only after the rename leaves a window', () => {
    const fs = createPowerCutFs();
    fs.seed(TARGET, OLD);
    const bad = badMoments(fs, [OLD, NEW], () => {
      const fd = fs.openSync(`${TARGET}.tmp`, 'w', 0o600);
      fs.writeSync(fd, Buffer.from(NEW));
      fs.renameSync(`${TARGET}.tmp`, TARGET);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
    });
    // Right after the rename, before the flush.
    expect(bad).toEqual(['step 3, names-kept: ""']);
  });

  it('takes truncating a file in place to the disk at once', () => {
    const fs = createPowerCutFs();
    fs.seed(TARGET, OLD);
    const bad = badMoments(fs, [OLD, NEW], () => writeSynced(TARGET, NEW, { mode: 0o600, fs }));
    expect(bad.length).toBeGreaterThan(0);
  });
});

describe('replaceFile', () => {
  it('leaves the old bytes or the new, whole, whenever the power goes', () => {
    for (const lasting of [false, true]) {
      const fs = createPowerCutFs();
      fs.seed(TARGET, OLD);
      const bad = badMoments(fs, [OLD, NEW], () =>
        replaceFile(TARGET, NEW, { mode: 0o600, lasting, fs, platform: 'linux' }),
      );
      expect(bad).toEqual([]);
      expect(text(fs.read(TARGET))).toBe(NEW);
      expect(fs.paths()).toEqual([TARGET]);
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
      const bad = badMoments(fs, [undefined, NEW], () =>
        replaceFile(TARGET, NEW, { mode: 0o600, lasting, fs, platform: 'linux' }),
      );
      expect(bad).toEqual([]);
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

  it('a refused rename: the error stands, the target keeps its bytes, no temporary file is left', () => {
    const fs = createPowerCutFs();
    fs.seed(TARGET, OLD);
    const refusing: SyncFs = {
      ...fs,
      renameSync: (() => {
        throw Object.assign(new Error('EPERM: the target is open elsewhere'), { code: 'EPERM' });
      }) as SyncFs['renameSync'],
    };
    expect(codeThrown(() => replaceFile(TARGET, NEW, { mode: 0o600, lasting: true, fs: refusing }))).toBe('EPERM');
    expect(fs.paths()).toEqual([TARGET]);
    expect(text(fs.read(TARGET))).toBe(OLD);
  });

  it('a write that makes no progress is an error, not a loop', () => {
    const fs = createPowerCutFs();
    let calls = 0;
    const stuck: SyncFs = {
      ...fs,
      writeSync: (() => {
        calls += 1;
        // A loop would spin here for ever; the stub stops it so the test fails instead of hanging.
        if (calls > 100) {
          throw new Error('written 100 times without progress');
        }
        return 0;
      }) as SyncFs['writeSync'],
    };
    expect(codeThrown(() => replaceFile(TARGET, NEW, { mode: 0o600, lasting: true, fs: stuck }))).toBe('EIO');
    expect(fs.paths()).toEqual([]);
  });

  it("reports the write's own error when closing after it fails too", () => {
    const fs = createPowerCutFs();
    fs.seed(TARGET, OLD);
    fs.failNextWrite('EIO', 2);
    const closing: SyncFs = {
      ...fs,
      closeSync: ((fd: number) => {
        fs.closeSync(fd);
        throw Object.assign(new Error('EBADF on close'), { code: 'EBADF' });
      }) as SyncFs['closeSync'],
    };
    expect(codeThrown(() => replaceFile(TARGET, NEW, { mode: 0o600, lasting: true, fs: closing }))).toBe('EIO');
    expect(codeThrown(() => writeSynced('/data/other', NEW, { mode: 0o600, fs: closingAfter(fs, 'EIO') }))).toBe('EIO');
    expect(text(fs.read(TARGET))).toBe(OLD);
  });

  it('never touches a file already there under a name like its own, and writes under a new name each time', () => {
    const fs = createPowerCutFs();
    fs.seed(TARGET, OLD);
    fs.seed(`${TARGET}.tmp`, 'the user file');
    const made: string[] = [];
    const watching: SyncFs = {
      ...fs,
      openSync: ((path: string, flag: string, mode?: number) => {
        made.push(path);
        return fs.openSync(path, flag, mode);
      }) as SyncFs['openSync'],
    };
    replaceFile(TARGET, NEW, { mode: 0o600, lasting: false, fs: watching });
    replaceFile(TARGET, OLD, { mode: 0o600, lasting: false, fs: watching });
    expect(made).toHaveLength(2);
    expect(new Set(made).size).toBe(2);
    for (const path of made) {
      expect(path).toMatch(/^\/data\/state-anchor\.bin\.[0-9a-f]{12}\.tmp$/);
    }
    expect(text(fs.read(`${TARGET}.tmp`))).toBe('the user file');
    expect(fs.paths().sort()).toEqual([TARGET, `${TARGET}.tmp`]);
  });

  it('takes a folder it may not read as one it cannot flush', () => {
    const fs = createPowerCutFs();
    const unreadable: SyncFs = {
      ...fs,
      openSync: ((path: string, flag: string, mode?: number) => {
        if (flag === 'r') {
          throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        }
        return fs.openSync(path, flag, mode);
      }) as SyncFs['openSync'],
    };
    replaceFile(TARGET, NEW, { mode: 0o600, lasting: true, fs: unreadable, platform: 'linux' });
    expect(text(fs.read(TARGET))).toBe(NEW);
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
    // Several buffers (a package's parts) go one after the other, each in full.
    const parts = ['preamble|', 'header|', 'body one|', 'body two'].map((p) => Buffer.from(p));
    replaceFile(TARGET, parts, { mode: 0o600, lasting: true, fs: short, platform: 'linux' });
    expect(text(fs.afterPowerCut(TARGET, 'names-lost'))).toBe('preamble|header|body one|body two');
  });
});

describe('failures of the failure path', () => {
  it('refuses anything but bytes rather than put an empty file in the target’s place', () => {
    const fs = createPowerCutFs();
    fs.seed(TARGET, OLD);
    const notBytes = [[1, 2, 3] as unknown as Uint8Array];
    expect(() => replaceFile(TARGET, notBytes, { mode: 0o600, lasting: true, fs, platform: 'linux' })).toThrow(
      TypeError,
    );
    expect(text(fs.read(TARGET))).toBe(OLD);
    expect(fs.paths()).toEqual([TARGET]);
    // Any view of bytes is written whole, counted in bytes.
    const source = Buffer.from('sixteen bytes!!!');
    const views = [
      new DataView(source.buffer, source.byteOffset, 16),
      new Uint16Array(source.buffer, source.byteOffset, 8),
    ];
    for (const view of views) {
      replaceFile(TARGET, [view as unknown as Uint8Array], { mode: 0o600, lasting: true, fs, platform: 'linux' });
      expect(text(fs.read(TARGET))).toBe('sixteen bytes!!!');
    }
  });

  it('reports the write’s error when removing the file after it fails too', () => {
    const fs = createPowerCutFs();
    const stuck: SyncFs = {
      ...fs,
      rmSync: (() => {
        throw Object.assign(new Error('EBUSY: held by a scanner'), { code: 'EBUSY' });
      }) as SyncFs['rmSync'],
    };
    fs.failNextWrite('ENOSPC', 2);
    expect(codeThrown(() => replaceFile(TARGET, NEW, { mode: 0o600, lasting: true, fs: stuck }))).toBe('ENOSPC');
    fs.failNextWrite('ENOSPC', 2);
    expect(codeThrown(() => writeSynced('/data/new', NEW, { mode: 0o600, flag: 'wx', fs: stuck }))).toBe('ENOSPC');
  });
});

describe('writeSynced', () => {
  const FILE = '/data/report.csv';

  it('with wx, a full disk mid-write leaves no half-written file under the name', () => {
    const fs = createPowerCutFs();
    fs.failNextWrite('ENOSPC', 4);
    expect(codeThrown(() => writeSynced(FILE, NEW, { mode: 0o600, flag: 'wx', fs }))).toBe('ENOSPC');
    expect(fs.paths()).toEqual([]);
  });

  it('with wx, a flush or a close that fails removes the file it made', () => {
    for (const failing of ['fsyncSync', 'closeSync'] as const) {
      const fs = createPowerCutFs();
      const broken: SyncFs = {
        ...fs,
        [failing]: ((fd: number) => {
          if (failing === 'closeSync') {
            fs.closeSync(fd);
          }
          throw Object.assign(new Error(`EIO on ${failing}`), { code: 'EIO' });
        }) as SyncFs['fsyncSync'],
      };
      expect(codeThrown(() => writeSynced(FILE, NEW, { mode: 0o600, flag: 'wx', fs: broken }))).toBe('EIO');
      expect(fs.paths()).toEqual([]);
    }
  });

  it('with wx, never touches a file that was already there', () => {
    const fs = createPowerCutFs();
    fs.seed(FILE, OLD);
    expect(codeThrown(() => writeSynced(FILE, NEW, { mode: 0o600, flag: 'wx', fs }))).toBe('EEXIST');
    expect(text(fs.read(FILE))).toBe(OLD);
  });

  it('with w, a failed write leaves the file to its caller (it may have been there before)', () => {
    const fs = createPowerCutFs();
    fs.seed(FILE, OLD);
    fs.failNextWrite('ENOSPC', 4);
    expect(codeThrown(() => writeSynced(FILE, NEW, { mode: 0o600, fs }))).toBe('ENOSPC');
    expect(fs.paths()).toEqual([FILE]);
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

  it('leaves a file or link beside the target alone, never writing through it', () => {
    dir = mkdtempSync(join(tmpdir(), 'earmark-durable-'));
    const file = join(dir, 'report.pdf');
    const elsewhere = join(dir, 'elsewhere');
    writeFileSync(elsewhere, 'not to be touched', { mode: 0o644 });
    symlinkSync(elsewhere, `${file}.tmp`);
    writeFileSync(file, 'an earlier report', { mode: 0o644 });
    replaceFile(file, NEW, { mode: 0o600, lasting: true });
    expect(readFileSync(elsewhere, 'utf8')).toBe('not to be touched');
    expect(readFileSync(file, 'utf8')).toBe(NEW);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(['elsewhere', 'report.pdf', 'report.pdf.tmp']);
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
    expect(opened.map((o) => o.split(' ')[0])).toEqual(['wx']);
    replaceFile(TARGET, NEW, { mode: 0o600, lasting: true, fs: watching, platform: 'linux' });
    expect(opened.map((o) => o.split(' ')[0])).toEqual(['wx', 'wx', 'r']);
    expect(opened[2]).toBe('r /data');
  });
});
