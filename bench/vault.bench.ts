/**
 * Import throughput against its floor, and clip-open latency. The floor is the unavoidable work
 * of an import, measured in the same run on the same bytes: AES-256-GCM decrypt-and-verify of
 * every clip plus one transaction inserting the ciphertext into SQLite (WAL, synchronous=FULL).
 * The import is the app's own, in the import worker, while main saves a draft every 50 ms: the
 * longest stall of main's event loop and the slowest of those saves are reported too.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aad, open, seal } from '../core/crypto/aead';
import { createServices } from '../main/services';
import { probeAudio } from '../core/package/audio-probe';
import { writePackage, type PackClip } from '../core/package/package-writer';
import type { ClipDetails } from '../shared/batch-package/manifest';
import { testBatchId } from '../test/support/ids';
import { testKeyStore } from '../test/support/test-safe-storage';
import { quietLogger } from './quiet-logger';
import { collectGarbage, median, percentile, round, timeMs } from './stats';

export type VaultBench = {
  readonly clips: number;
  readonly mean_clip_s: number;
  readonly package_mb: number;
  readonly import_mb_s: number;
  readonly import_floor_mb_s: number;
  readonly import_ratio: number;
  readonly clip_open_ms_p50: number;
  readonly clip_open_ms_p95: number;
  readonly db_bytes_per_clip: number;
  readonly import_main_block_ms_max: number;
  readonly import_draft_save_ms_max: number;
  /** The longest stall of main with drafts saved and no import running, as long as an import. */
  readonly main_block_floor_ms_max: number;
  /** The database (file and WAL) after the benchmark batch was erased, and a new empty one. */
  readonly db_bytes_after_erase: number;
  readonly db_bytes_empty: number;
  /** The start-up `quick_check` over the database holding the benchmark batch. */
  readonly db_quick_check_ms: number;
};

/** The database file and its WAL, in bytes. */
const dbBytes = (dataDir: string): number =>
  readdirSync(dataDir)
    .filter((f) => f.startsWith('earmark.db'))
    .reduce((s, f) => s + statSync(join(dataDir, f)).size, 0);

const DEMO_CLIPS = join(__dirname, '..', 'resources', 'demo', 'clips');

/**
 * Real speech: the bundled demo clips, cycled to `count` clips with distinct ids. `asrText`
 * gives each clip's hypothesis from its demo file name (a fixed phrase by default).
 */
/** Granted clips only, so every one has full details (a PackClip each). */
export function sourceClips(
  count: number,
  asrText: (file: string) => string = () => 'benchmark clip',
): (PackClip & { readonly details: ClipDetails; readonly audio: Buffer })[] {
  const files = readdirSync(DEMO_CLIPS)
    .filter((f) => f.endsWith('.opus'))
    .sort();
  if (files.length === 0) {
    throw new Error(`No .opus clips in ${DEMO_CLIPS}.`);
  }
  const audio = files.map((f) => readFileSync(join(DEMO_CLIPS, f)));
  return Array.from({ length: count }, (_, i) => {
    const bytes = audio[i % audio.length] as Buffer;
    const info = probeAudio(bytes);
    const asr = asrText(files[i % files.length] as string);
    return {
      audio: bytes,
      details: {
        id: `c-AAAAAAAAAA${i.toString(16).toUpperCase().padStart(6, '0')}`,
        durationMs: info.durationMs,
        codec: info.codec,
        asrText: asr,
        consent: 'granted',
      },
    };
  });
}

/** The floor: decrypt-verify plus a single-transaction insert of the same ciphertexts. */
function floorMs(
  dir: string,
  clips: readonly { iv: Buffer; tag: Buffer; ciphertext: Buffer; id: string }[],
  key: Buffer,
): number {
  const file = join(dir, `floor-${Math.random().toString(16).slice(2)}.db`);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, iv BLOB, tag BLOB, data BLOB) STRICT');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?, ?)');
  collectGarbage();
  const ms = timeMs(() => {
    db.transaction(() => {
      for (const c of clips) {
        open(key, c, aad('clip', 'b-AAAAAAAAAAABENCH', c.id)).fill(0);
        insert.run(c.id, c.iv, c.tag, c.ciphertext);
      }
    })();
  });
  db.close();
  rmSync(file, { force: true });
  return ms;
}

/** Milliseconds `work` took to settle, on the monotonic clock. */
async function timeAsyncMs(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

type Services = ReturnType<typeof createServices>;

/**
 * One background import while main does what a reviewer's calls do: a draft saved every 50 ms.
 * Returns the import's time, the longest event-loop stall in main and the slowest draft save.
 */
async function underDrafts(services: Services, draftBatch: string, work: () => Promise<unknown>) {
  const stalls = monitorEventLoopDelay({ resolution: 1 });
  const saves: number[] = [];
  let n = 0;
  const timer = setInterval(() => {
    n += 1;
    const body = { transcript: `draft ${n}`, critical: [], entities: [] };
    saves.push(timeMs(() => services.annotations.saveDraft(draftBatch, 'c-AAAAAAAAAA000000', 0, body)));
  }, 50);
  stalls.enable();
  try {
    const ms = await timeAsyncMs(work);
    return { ms, blockMs: stalls.max / 1e6, saveMs: Math.max(0, ...saves) };
  } finally {
    stalls.disable();
    clearInterval(timer);
  }
}

export async function runVaultBench(count = 1000, rounds = 5): Promise<VaultBench> {
  const dir = mkdtempSync(join(tmpdir(), 'earmark-bench-'));
  try {
    const keyStore = testKeyStore(dir);
    const device = keyStore.loadOrCreateDeviceKey();
    const clips = sourceClips(count);
    const meanClipS = clips.reduce((s, c) => s + c.details.durationMs, 0) / clips.length / 1000;

    // Floor input: the same audio sealed the same way the package seals it.
    const key = Buffer.alloc(32, 7);
    const sealed = clips.map((c) => ({
      id: c.details.id,
      ...seal(key, c.audio, aad('clip', 'b-AAAAAAAAAAABENCH', c.details.id)),
    }));

    const importMs: number[] = [];
    const floor: number[] = [];
    let packageBytes = 0;
    let openSamples: number[] = [];
    let dbBytesPerClip = 0;
    let dbBytesAfterErase = 0;
    let dbBytesEmpty = 0;
    let quickCheckMs = 0;
    const blockMs: number[] = [];
    const saveMs: number[] = [];
    const idleBlockMs: number[] = [];
    for (let r = 0; r < rounds; r += 1) {
      const dataDir = join(dir, `data-${r}`);
      const services = createServices({ dataDir, appVersion: 'bench', logger: quietLogger, keyStore });
      const draftsId = testBatchId(100 + r, 3);
      const benchId = testBatchId(200 + r, 3);
      // A small batch to save drafts on while the big one imports; imported in the background
      // too, so the worker's first start (from source: bundled once) is not in the figures.
      const drafts = join(dir, `drafts-${r}.earmark`);
      writePackage(drafts, {
        batchId: draftsId,
        createdAt: new Date(),
        expiresAt: new Date(Date.now() + 86_400_000),
        locale: 'en-US',
        recipient: device.publicKey,
        clips: clips.slice(0, 1),
      });
      await services.vault.importInBackground(drafts);
      rmSync(drafts, { force: true });
      const pkg = join(dir, `batch-${r}.earmark`);
      const now = new Date();
      packageBytes = writePackage(pkg, {
        batchId: benchId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + 86_400_000),
        locale: 'en-US',
        recipient: device.publicKey,
        clips,
      });
      // Alternate the order so neither side always runs on a warmer cache.
      const imported = async (): Promise<void> => {
        collectGarbage();
        const run = await underDrafts(services, draftsId, () => services.vault.importInBackground(pkg));
        importMs.push(run.ms);
        blockMs.push(run.blockMs);
        saveMs.push(run.saveMs);
        // The same drafts for as long with no import: what the machine itself stalls main by.
        const idle = await underDrafts(services, draftsId, () => new Promise((resolve) => setTimeout(resolve, run.ms)));
        idleBlockMs.push(idle.blockMs);
      };
      if (r % 2 === 0) {
        floor.push(floorMs(dir, sealed, key));
        await imported();
      } else {
        await imported();
        floor.push(floorMs(dir, sealed, key));
      }
      if (r === rounds - 1) {
        const ids = clips.map((c) => c.details.id);
        openSamples = ids.map((id) => timeMs(() => services.vault.openClip(benchId, id)));
        services.close();
        dbBytesPerClip = dbBytes(dataDir) / count;
        // The same pragma the services run at every start, before they write.
        const checked = new Database(join(dataDir, 'earmark.db'));
        quickCheckMs = timeMs(() => checked.pragma('quick_check(10)'));
        checked.close();
        // The batch erased: what the file keeps of it (free pages are given back).
        const again = createServices({ dataDir, appVersion: 'bench', logger: quietLogger, keyStore });
        again.vault.revoke(benchId);
        again.close();
        dbBytesAfterErase = dbBytes(dataDir);
        const emptyDir = join(dir, 'empty');
        createServices({ dataDir: emptyDir, appVersion: 'bench', logger: quietLogger, keyStore }).close();
        dbBytesEmpty = dbBytes(emptyDir);
      } else {
        services.close();
      }
      rmSync(pkg, { force: true });
    }
    const mb = packageBytes / 1e6;
    const importMbS = mb / (median(importMs) / 1000);
    const floorMbS = mb / (median(floor) / 1000);
    return {
      clips: count,
      mean_clip_s: round(meanClipS, 2),
      package_mb: round(mb, 2),
      import_mb_s: round(importMbS, 1),
      import_floor_mb_s: round(floorMbS, 1),
      import_ratio: round(importMbS / floorMbS, 2),
      clip_open_ms_p50: round(percentile(openSamples, 50)),
      clip_open_ms_p95: round(percentile(openSamples, 95)),
      db_bytes_per_clip: Math.round(dbBytesPerClip),
      import_main_block_ms_max: round(Math.max(...blockMs), 1),
      import_draft_save_ms_max: round(Math.max(...saveMs), 1),
      main_block_floor_ms_max: round(Math.max(...idleBlockMs), 1),
      db_bytes_after_erase: dbBytesAfterErase,
      db_bytes_empty: dbBytesEmpty,
      db_quick_check_ms: round(quickCheckMs, 1),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
