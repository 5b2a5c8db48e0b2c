import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSource, sequentialReader } from '../../../core/package/package-file';
import { PackageRefusedError } from '../../../core/package/package-refusal';
import { makeTempDir } from '../../support/temp-dir';

/** 3 MiB of bytes whose every 4-byte word names its own offset, so a moved slice shows. */
const bytes = Buffer.alloc(3 * 1024 * 1024);
for (let i = 0; i < bytes.length; i += 4) {
  bytes.writeUInt32LE(i, i);
}
const BODY = 300_000;

describe('package file: sequential reads of clip bodies', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;

  beforeEach(() => {
    tmp = makeTempDir('earmark-file-');
    file = join(tmp.dir, 'bytes.bin');
    writeFileSync(file, bytes);
  });
  afterEach(() => tmp.remove());

  for (const from of ['file', 'memory'] as const) {
    it(`from ${from}, keeps every body it handed out intact across windows when asked to keep them`, () => {
      const source = openSource(from === 'file' ? file : bytes);
      try {
        const read = sequentialReader(source, 0, true);
        const held: { at: number; body: Buffer }[] = [];
        for (let at = 0; at + BODY <= bytes.length; at += BODY) {
          held.push({ at, body: read(BODY, at) });
        }
        expect(held).toHaveLength(10);
        for (const { at, body } of held) {
          expect(body.equals(bytes.subarray(at, at + BODY))).toBe(true);
        }
      } finally {
        source.close();
      }
    });

    it(`from ${from}, refuses a body that runs past the end as truncated`, () => {
      const source = openSource(from === 'file' ? file : bytes);
      try {
        for (const keep of [false, true]) {
          const read = sequentialReader(source, 0, keep);
          expect(() => read(BODY, bytes.length - BODY + 4)).toThrow(PackageRefusedError);
        }
      } finally {
        source.close();
      }
    });
  }
});
