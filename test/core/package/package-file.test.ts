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

    it(`from ${from}, keeps the bodies handed out after a release intact`, () => {
      const source = openSource(from === 'file' ? file : bytes);
      try {
        const read = sequentialReader(source, 0, true);
        const before: Buffer[] = [];
        let at = 0;
        for (; at + BODY <= bytes.length / 2; at += BODY) {
          before.push(read(BODY, at));
        }
        read.release();
        const after: { at: number; body: Buffer }[] = [];
        for (; at + BODY <= bytes.length; at += BODY) {
          after.push({ at, body: read(BODY, at) });
        }
        expect(after.length).toBeGreaterThan(3);
        for (const { at: offset, body } of after) {
          expect(body.equals(bytes.subarray(offset, offset + BODY))).toBe(true);
        }
        // From a file, the windows of released bodies are read into again, not new memory; from
        // memory, bodies are views of the bytes themselves.
        const shared = after.filter(({ body }) => before.some((b) => b.buffer === body.buffer));
        const views = after.filter(({ body }) => body.buffer === bytes.buffer);
        expect({ reused: shared.length > 0, views: views.length }).toEqual(
          from === 'file' ? { reused: true, views: 0 } : { reused: true, views: after.length },
        );
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
