/**
 * Import throughput against its floor, and clip-open latency. The floor is the unavoidable work
 * of an import, measured in the same run on the same bytes: AES-256-GCM decrypt-and-verify of
 * every clip plus one transaction inserting the ciphertext into SQLite (WAL, synchronous=FULL).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aad, open, seal } from '../core/crypto/aead';
import { createServices } from '../main/services';
import { probeAudio } from '../core/package/audio-probe';
import { writePackage, type PackClip } from '../core/package/package-writer';
import type { ClipDetails } from '../shared/batch-package/manifest';
import { testKeyStore } from '../test/support/test-safe-storage';
import { quietLogger } from './quiet-logger';
import { median, percentile, round, timeMs } from './stats';

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
};

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
        id: `c-${i.toString(16).padStart(6, '0')}`,
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
  const ms = timeMs(() => {
    db.transaction(() => {
      for (const c of clips) {
        open(key, c, aad('clip', 'b-bench', c.id)).fill(0);
        insert.run(c.id, c.iv, c.tag, c.ciphertext);
      }
    })();
  });
  db.close();
  rmSync(file, { force: true });
  return ms;
}

export function runVaultBench(count = 1000, rounds = 5): VaultBench {
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
      ...seal(key, c.audio, aad('clip', 'b-bench', c.details.id)),
    }));

    const importMs: number[] = [];
    const floor: number[] = [];
    let packageBytes = 0;
    let openSamples: number[] = [];
    let dbBytesPerClip = 0;
    for (let r = 0; r < rounds; r += 1) {
      const dataDir = join(dir, `data-${r}`);
      const services = createServices({ dataDir, appVersion: 'bench', logger: quietLogger, keyStore });
      const pkg = join(dir, `batch-${r}.earmark`);
      const now = new Date();
      packageBytes = writePackage(pkg, {
        batchId: `b-bench-${r}`,
        createdAt: now,
        expiresAt: new Date(now.getTime() + 86_400_000),
        locale: 'en-US',
        recipient: device.publicKey,
        clips,
      });
      // Alternate the order so neither side always runs on a warmer cache.
      if (r % 2 === 0) {
        floor.push(floorMs(dir, sealed, key));
        importMs.push(timeMs(() => services.vault.importPackage(pkg)));
      } else {
        importMs.push(timeMs(() => services.vault.importPackage(pkg)));
        floor.push(floorMs(dir, sealed, key));
      }
      if (r === rounds - 1) {
        const ids = clips.map((c) => c.details.id);
        openSamples = ids.map((id) => timeMs(() => services.vault.openClip(`b-bench-${r}`, id)));
        services.close();
        dbBytesPerClip =
          readdirSync(dataDir)
            .filter((f) => f.startsWith('earmark.db'))
            .reduce((s, f) => s + statSync(join(dataDir, f)).size, 0) / count;
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
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
