/**
 * The long part of an import: visiting every clip of a package already opened (its header
 * checked, its key unwrapped) and writing the rows in bounded chunks under a staged batch,
 * then making the batch visible in one short transaction. It runs in the import worker on the
 * worker's own connection; it takes its repositories, so a test can run it in-process.
 */
import type { PackageHeader, PackedClipDetails } from '../../../shared/batch-package/manifest';
import type { ImportReport } from '../../../shared/domain/batch';
import { visitClips } from '../../../core/package/package-clips';
import { openSource, sequentialReader } from '../../../core/package/package-file';
import { PackageRefusedError } from '../../../core/package/package-refusal';
import type { ImportStagingRepository } from '../../db/repositories/import-staging.repository';
import type { VaultRepository } from '../../db/repositories/vault.repository';
import { clipWrite, writeBytes, type ClipWrite } from './clip-rows';

/** Everything the worker needs, as plain data (it crosses to the worker by structured clone). */
export type ImportJob = {
  /** The package file, or its bytes (a checkout: never written to disk as a file). */
  readonly source: string | Uint8Array;
  readonly header: PackageHeader;
  readonly details: readonly PackedClipDetails[];
  readonly bodyStart: number;
  /** The batch key, unwrapped in main. The worker zeroes its copy when done. */
  readonly batchKey: Uint8Array;
  /** The wrapped key as stored at rest, and its key id. */
  readonly wrap: Uint8Array;
  readonly keyId: string;
  readonly importedAt: number;
};

/** How big one chunk's transaction may grow: main's writes wait for at most one. */
export type ChunkLimits = { readonly clips: number; readonly bytes: number };
export const DEFAULT_CHUNK: ChunkLimits = { clips: 256, bytes: 2 * 1024 * 1024 };

export type JobDeps = {
  readonly staging: ImportStagingRepository;
  readonly vault: Pick<VaultRepository, 'insertClip' | 'insertRefused'>;
  /** Polled between clips: true once the import should stop and leave nothing. */
  readonly cancelled: () => boolean;
  /** After each chunk is committed. */
  readonly progress: (clipsDone: number, clipsTotal: number) => void;
  readonly chunk?: ChunkLimits;
};

export type JobOutcome = { readonly kind: 'done'; readonly report: ImportReport } | { readonly kind: 'cancelled' };

export function runImportJob(job: ImportJob, d: JobDeps): JobOutcome {
  const limits = d.chunk ?? DEFAULT_CHUNK;
  const { header } = job;
  const batchId = header.batchId;
  const expiresAt = Date.parse(header.expiresAt);
  const key = Buffer.from(job.batchKey.buffer, job.batchKey.byteOffset, job.batchKey.byteLength);
  const existing = d.staging.existing(batchId);
  if (existing === 'visible') {
    throw new PackageRefusedError([`Batch "${batchId}" is already on this workstation.`], {
      reason: 'already_imported',
      batchId,
    });
  }
  if (existing === 'staged') {
    // Left by an import that was killed: it never became visible, so it is simply redone.
    d.staging.discard(batchId);
  }
  d.staging.stage({
    id: batchId,
    locale: header.locale,
    clipCount: header.clips.length,
    createdAt: Date.parse(header.createdAt),
    expiresAt,
    importedAt: job.importedAt,
  });
  const report = {
    batchId,
    imported: 0,
    quarantined: [] as { clipId: string; reason: string }[],
    withdrawn: [] as string[],
  };
  const total = header.clips.length;
  let pending: ClipWrite[] = [];
  let pendingBytes = 0;
  let done = 0;
  const flush = (): void => {
    const rows = pending;
    d.staging.chunk(() => {
      for (const w of rows) {
        if (w.kind === 'refused') {
          d.vault.insertRefused(batchId, w.clipId);
        } else {
          d.vault.insertClip(batchId, w.clip);
        }
      }
    });
    done += rows.length;
    pending = [];
    pendingBytes = 0;
    // The rows are written: the windows their bodies were read into take the next chunk's.
    bodies.release();
    d.progress(done, total);
  };
  const source = openSource(job.source);
  const bodies = sequentialReader(source, job.bodyStart, true);
  // Set from inside the visit's callback.
  const state = { stopped: false };
  try {
    visitClips(
      source,
      job,
      key,
      (outcome) => {
        if (d.cancelled()) {
          state.stopped = true;
          return false;
        }
        // The visit keeps bodies valid, so a row holds its ciphertext until its chunk is written.
        const w = clipWrite(outcome, key, batchId, expiresAt);
        if (outcome.kind === 'withdrawn') {
          report.withdrawn.push(outcome.details.id);
        } else if (outcome.kind === 'quarantined') {
          report.quarantined.push({ clipId: outcome.details.id, reason: outcome.reason });
        } else {
          report.imported += 1;
        }
        pending.push(w);
        pendingBytes += writeBytes(w);
        if (pending.length >= limits.clips || pendingBytes >= limits.bytes) {
          flush();
        }
        return true;
      },
      bodies,
    );
    if (!state.stopped && pending.length > 0) {
      flush();
    }
    if (state.stopped || d.cancelled() || !d.staging.publish(batchId, job.keyId, Buffer.from(job.wrap))) {
      d.staging.discard(batchId);
      return { kind: 'cancelled' };
    }
    return { kind: 'done', report };
  } catch (error) {
    // All or nothing: what was staged goes again; a failure to remove it is left to the next start.
    try {
      d.staging.discard(batchId);
    } catch {
      // The original error says more than this one.
    }
    throw error;
  } finally {
    source.close();
  }
}
