/**
 * `npm run bench` at its smallest scale, as its own process: the vault and sync parts run to the
 * end and write every figure they promise as a finite number. Only that they ran is asserted,
 * never a figure's size (benchmarks are read by people, in one run, not by the suite). The
 * renderer part needs a build and Chromium; the e2e suite drives the same harness.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MIN_CLIPS } from '../../bench/args';
import { makeTempDir } from '../support/temp-dir';

const ROOT = resolve(__dirname, '../..');
const FIGURES = [
  'import_mb_s',
  'import_floor_mb_s',
  'import_ratio',
  'import_main_block_ms_max',
  'import_draft_save_ms_max',
  'clip_open_ms_p95',
  'db_bytes_after_erase',
  'db_quick_check_ms',
  'wer_align_40_words_us',
  'sync_annotations_s',
  'sync_floor_service_annotations_s',
  'sync_ratio',
  'sync_faulty_seconds',
  'sync_wait_seconds',
  'sync_wait_bound_seconds',
];

describe('npm run bench', { timeout: 240_000 }, () => {
  const tmp = makeTempDir('earmark-bench-test-');
  afterAll(() => tmp.remove());

  it('runs the vault and sync parts to the end and writes each figure', () => {
    const json = join(tmp.dir, 'bench.json');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--only', 'vault,sync', '--clips', String(MIN_CLIPS), '--json', json],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const figures = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown>;
    expect(figures.clips).toBe(MIN_CLIPS);
    expect(figures.sync_annotations).toBe(MIN_CLIPS);
    for (const name of FIGURES) {
      expect(Number.isFinite(figures[name]), name).toBe(true);
    }
  });
});
