import * as nodeFs from 'node:fs';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncFs } from '../../../core/fs/durable-file';
import { writeCsvFiles, writePdf } from '../../../main/services/report-files';

const FILES = [
  { base: 'report-clips', data: 'clip,figures\r\n' },
  { base: 'report-shifts', data: 'shift,figures\r\n' },
  { base: 'report-reviewers', data: 'reviewer,figures\r\n' },
];

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: refused`), { code });

/**
 * The real file system, but writes to a file whose name matches `writesTo` fail with `code`
 * (a full disk), or a flush of the folder `folderFlush` fails with `code` (an I/O error).
 */
function failing(o: { code: string; writesTo?: RegExp; folderFlush?: string }): SyncFs {
  const failingFds = new Set<number>();
  const folderFds = new Set<number>();
  return {
    ...nodeFs,
    openSync: ((path: string, flags: string, mode?: number) => {
      const fd = nodeFs.openSync(path, flags, mode);
      if (o.writesTo?.test(path)) {
        failingFds.add(fd);
      }
      if (path === o.folderFlush) {
        folderFds.add(fd);
      }
      return fd;
    }) as SyncFs['openSync'],
    writeSync: ((fd: number, ...rest: unknown[]) => {
      if (failingFds.has(fd)) {
        throw errno(o.code);
      }
      return (nodeFs.writeSync as (fd: number, ...args: unknown[]) => number)(fd, ...rest);
    }) as SyncFs['writeSync'],
    fsyncSync: ((fd: number) => {
      if (folderFds.has(fd)) {
        throw errno(o.code);
      }
      nodeFs.fsyncSync(fd);
    }) as SyncFs['fsyncSync'],
  };
}

const codeOf = (work: () => unknown): string | undefined => {
  try {
    work();
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
  return undefined;
};

describe('report export files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'earmark-report-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every CSV file, owner-only, and a second export beside the first under new names', () => {
    const first = writeCsvFiles(dir, FILES);
    expect(first).toEqual(FILES.map((f) => join(dir, `${f.base}.csv`)));
    expect(first.map((f) => readFileSync(f, 'utf8'))).toEqual(FILES.map((f) => f.data));
    expect(first.map((f) => nodeFs.statSync(f).mode & 0o777)).toEqual([0o600, 0o600, 0o600]);
    const second = writeCsvFiles(dir, FILES);
    expect(second).toEqual(FILES.map((f) => join(dir, `${f.base}-2.csv`)));
  });

  it('writes all or none: when the last file fails, those written are removed and a retry takes the same names', () => {
    writeFileSync(join(dir, 'notes.txt'), 'the supervisor’s own file');
    const fs = failing({ code: 'ENOSPC', writesTo: /report-reviewers\.csv$/ });
    expect(codeOf(() => writeCsvFiles(dir, FILES, { fs }))).toBe('ENOSPC');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(writeCsvFiles(dir, FILES)).toEqual(FILES.map((f) => join(dir, `${f.base}.csv`)));
  });

  it('writes all or none: a folder that fails to flush leaves none of the files, and the error stands', () => {
    const fs = failing({ code: 'EIO', folderFlush: dir });
    expect(codeOf(() => writeCsvFiles(dir, FILES, { fs, platform: 'linux' }))).toBe('EIO');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never removes a file of the same name that was there before the export', () => {
    writeFileSync(join(dir, 'report-clips.csv'), 'an earlier export');
    const fs = failing({ code: 'ENOSPC', writesTo: /report-shifts\.csv$/ });
    expect(codeOf(() => writeCsvFiles(dir, FILES, { fs }))).toBe('ENOSPC');
    expect(readdirSync(dir)).toEqual(['report-clips.csv']);
    expect(readFileSync(join(dir, 'report-clips.csv'), 'utf8')).toBe('an earlier export');
  });

  it('keeps a PDF in place when only its folder cannot be flushed, and says so', () => {
    const file = join(dir, 'report.pdf');
    writeFileSync(file, 'an earlier report');
    const pdf = Buffer.from('%PDF-1.7 the new report');
    expect(writePdf(file, pdf, { fs: failing({ code: 'EIO', folderFlush: dir }), platform: 'linux' })).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('%PDF-1.7 the new report');
    expect(readdirSync(dir)).toEqual(['report.pdf']);
    expect(writePdf(file, Buffer.from('%PDF-1.7 again'), { platform: 'linux' })).toBe(true);
    expect(nodeFs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
