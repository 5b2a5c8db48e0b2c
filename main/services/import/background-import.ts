/**
 * Imports in the import worker: the package's header is checked and its batch key unwrapped on
 * the main thread (where the device key lives), then the worker decrypts, checks and writes the
 * clips on its own connection, in short transactions under a staged batch that one last short
 * transaction makes visible. Progress goes out as `imports:changed`. A revocation of the batch,
 * the app locking or closing cancels an import, and it leaves nothing.
 */
import { randomUUID } from 'node:crypto';
import type { ImportReport } from '../../../shared/domain/batch';
import type { ImportPhase } from '../../../shared/domain/import';
import { wrappedKeyToBytes } from '../../../core/crypto/codec';
import type { DeviceKey } from '../../../core/crypto/device-key';
import { openSource } from '../../../core/package/package-file';
import { openPackage } from '../../../core/package/package-reader';
import { PackageRefusedError } from '../../../core/package/package-refusal';
import type { BatchRepository } from '../../db/repositories/batch.repository';
import type { ImportStagingRepository } from '../../db/repositories/import-staging.repository';
import type { Logger } from '../../log/logger';
import type { EventHub } from '../event-hub';
import { ServiceError } from '../service-error';
import type { TrustedClock } from '../trusted-clock';
import type { ChunkLimits } from './import-job';
import type { WorkerResult } from './import-protocol';
import { createImportWorkers, type RunningImport } from './import-worker-host';

/** What a package says of itself once it checked out, for a caller to accept before its clips go in. */
export type OpenedBatch = {
  readonly batchId: string;
  /** The reviewer (pseudonym) the package was assigned to, or null when it names none. */
  readonly assignedTo: string | null;
};

export type ImportOptions = {
  /** Throws (a ServiceError) to refuse the package before any clip is read; nothing is kept then. */
  readonly accept?: (opened: OpenedBatch) => void;
};

/** Why a running import was asked to stop: a revoked batch is erased even if it got in first. */
export type StopReason = 'revoked' | 'locked' | 'closed';

export type BackgroundImportDeps = {
  readonly batches: Pick<BatchRepository, 'status' | 'list'>;
  readonly staging: Pick<ImportStagingRepository, 'leftovers' | 'discard'>;
  /** Where the import worker opens its own connection. */
  readonly worker: { readonly dbFile: string; readonly nativeBinding?: string; readonly chunk?: ChunkLimits };
  readonly deviceKey: () => DeviceKey;
  readonly clock: TrustedClock;
  readonly events: EventHub;
  readonly logger: Logger;
  /** Crypto-erases a batch (one revoked just as its import finished). */
  readonly erase: (batchId: string, status: 'revoked') => void;
  /** Keeps an imported batch's key in memory for playback. */
  readonly keep: (batchId: string, key: Buffer) => void;
};

export function createBackgroundImports(d: BackgroundImportDeps) {
  const running = new Map<string, { readonly run: RunningImport; stop?: StopReason }>();
  const deviceKey = d.deviceKey;
  const workers = createImportWorkers({
    dbFile: d.worker.dbFile,
    ...(d.worker.nativeBinding ? { nativeBinding: d.worker.nativeBinding } : {}),
    ...(d.worker.chunk ? { chunk: d.worker.chunk } : {}),
  });

  const stopAll = (reason: StopReason): void => {
    for (const importing of running.values()) {
      importing.stop ??= reason;
      importing.run.cancel();
    }
  };

  /** The outcome of a worker's job, as the import's result (or its error). */
  const settle = (batchId: string, result: WorkerResult, key: Buffer, stop: StopReason | undefined): ImportReport => {
    if (result.kind === 'done' && stop === undefined) {
      d.keep(batchId, key);
      d.logger.info('vault: batch imported', {
        batchId,
        imported: result.report.imported,
        quarantined: result.report.quarantined.length,
        withdrawn: result.report.withdrawn.length,
      });
      d.events.emit('batches:changed', d.batches.list());
      return result.report;
    }
    key.fill(0);
    if (result.kind === 'done' || result.kind === 'cancelled') {
      if (result.kind === 'done') {
        d.events.emit('batches:changed', d.batches.list());
        if (stop === 'revoked') {
          // It became visible just before the revocation reached it.
          d.erase(batchId, 'revoked');
          d.events.emit('batches:changed', d.batches.list());
        } else {
          // In, but its key is not kept: the app locked or is closing; it loads on next use.
          return result.report;
        }
      }
      d.logger.info('vault: import cancelled', { batchId, reason: stop ?? 'cancelled' });
      throw stop === 'locked'
        ? new ServiceError('LOCKED', 'The app locked during the import; nothing of it was kept.')
        : stop === 'revoked'
          ? new ServiceError('EXPIRED', `Batch "${batchId}" was revoked during its import; nothing of it was kept.`)
          : new ServiceError('UNAVAILABLE', 'The import was cancelled; nothing of it was kept.');
    }
    if (result.kind === 'refused') {
      throw new ServiceError('PACKAGE_REFUSED', result.message, result.refusal);
    }
    d.logger.error('vault: import failed', { batchId, message: result.message, sqliteCode: result.sqliteCode });
    throw new Error(`The import failed: ${result.message}`);
  };

  /**
   * Imports a package file, or a package's bytes (a checkout, never written to disk), without
   * holding up the main thread: the header is checked and the batch key unwrapped here, then
   * the clips are decrypted, checked and written in the import worker, in short transactions
   * under a staged batch that one last short transaction makes visible. Progress goes out as
   * `imports:changed`. A revocation of the batch, the app locking or closing cancels it, and
   * it leaves nothing. Bytes that fill their buffer alone are moved to the worker: the
   * caller's buffer is emptied. `options.accept` may refuse the package once it checked out,
   * before any clip is read.
   */
  const importInBackground = async (from: string | Uint8Array, options: ImportOptions = {}): Promise<ImportReport> => {
    const importId = randomUUID();
    let batchId: string | null = null;
    let total = 0;
    const tell = (phase: ImportPhase, clipsDone: number): void =>
      d.events.emit('imports:changed', { importId, batchId, phase, clipsDone, clipsTotal: total });
    tell('reading', 0);
    const now = d.clock.now();
    let opened: ReturnType<typeof openPackage>;
    try {
      const source = openSource(from);
      try {
        opened = openPackage(source, { device: deviceKey(), now });
      } finally {
        source.close();
      }
    } catch (error) {
      tell('failed', 0);
      throw error instanceof PackageRefusedError
        ? new ServiceError('PACKAGE_REFUSED', error.message, error.refusal)
        : error;
    }
    const id = opened.header.batchId;
    batchId = id;
    total = opened.header.clips.length;
    try {
      options.accept?.({ batchId: id, assignedTo: opened.assignedTo });
    } catch (error) {
      opened.batchKey.fill(0);
      tell('failed', 0);
      throw error;
    }
    if (d.batches.status(id) || running.has(id)) {
      opened.batchKey.fill(0);
      tell('failed', 0);
      throw new ServiceError('PACKAGE_REFUSED', `Batch "${id}" is already on this workstation.`, {
        reason: 'already_imported',
        batchId: id,
      });
    }
    // Not a small Buffer: those share the process's pool, which a clone would carry along.
    const workerKey = new Uint8Array(opened.batchKey);
    tell('importing', 0);
    const run = workers.run(
      {
        source: from,
        header: opened.header,
        details: opened.details,
        bodyStart: opened.bodyStart,
        batchKey: workerKey,
        wrap: wrappedKeyToBytes(opened.wrapped),
        keyId: opened.wrapped.keyId,
        importedAt: now,
      },
      (clipsDone) => tell('importing', clipsDone),
    );
    // workerKey is the worker's now: zero-filled by the host once the worker has its copy.
    const entry: { run: RunningImport; stop?: StopReason } = { run };
    running.set(id, entry);
    let result: WorkerResult;
    try {
      result = await run.result;
    } finally {
      running.delete(id);
    }
    try {
      const report = settle(id, result, opened.batchKey, entry.stop);
      tell('done', total);
      return report;
    } catch (error) {
      tell(result.kind === 'done' || result.kind === 'cancelled' ? 'cancelled' : 'failed', 0);
      throw error;
    }
  };

  return {
    /**
     * Imports a package file, or a package's bytes (a checkout, never written to disk), without
     * holding up the main thread. Bytes that fill their buffer alone are moved to the worker:
     * the caller's buffer is emptied.
     */
    importInBackground,
    /** Cancels the running import of `batchId` as revoked; false when there is none. */
    cancel: (batchId: string): boolean => {
      const importing = running.get(batchId);
      if (!importing) {
        return false;
      }
      importing.stop = 'revoked';
      importing.run.cancel();
      return true;
    },
    /** Stops every running import; each leaves nothing. */
    stopAll,
    /**
     * Stops every running import as the app closes, and ends the import workers: the waiting one
     * now, a busy one once its import has removed what it staged.
     */
    close: (): void => {
      stopAll('closed');
      workers.close();
    },
    /** Settles once the import workers have ended, after {@link close}. */
    ended: (): Promise<void> => workers.ended(),
    /** Removes what imports killed half-way (a crash) left staged: it never became visible. */
    discardUnfinished: (): string[] => {
      const left = d.staging.leftovers().filter((id) => !running.has(id));
      for (const id of left) {
        d.staging.discard(id);
        d.logger.warn('vault: an unfinished import was removed', { batchId: id });
      }
      return left;
    },
  };
}

export type BackgroundImports = ReturnType<typeof createBackgroundImports>;
