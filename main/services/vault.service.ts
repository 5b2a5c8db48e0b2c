/**
 * The clip vault: imports batch packages all-or-nothing, opens clips for playback from
 * ciphertext at rest, and crypto-erases batches that expire or are revoked.
 */
import type { ImportReport } from '../../shared/domain/batch';
import type { ClipSummary, OpenedClip } from '../../shared/domain/clip';
import { aad, open } from '../../core/crypto/aead';
import { wrappedKeyFromBytes, wrappedKeyToBytes } from '../../core/crypto/codec';
import { unwrapBatchKey } from '../../core/crypto/key-wrap';
import type { BatchRepository } from '../db/repositories/batch.repository';
import type { ImportStagingRepository } from '../db/repositories/import-staging.repository';
import type { VaultRepository } from '../db/repositories/vault.repository';
import type { UnitOfWork } from '../db/unit-of-work';
import type { Logger } from '../log/logger';
import { readPackage } from '../../core/package/package-reader';
import { PackageRefusedError } from '../../core/package/package-refusal';
import type { DeviceKeys } from './device-keys';
import type { EventHub } from './event-hub';
import { clipWrite } from './import/clip-rows';
import { createClipMeta } from './clip-meta';
import type { ChunkLimits } from './import/import-job';
import { createBackgroundImports } from './import/background-import';
import { ServiceError } from './service-error';
import type { TrustedClock } from './trusted-clock';
import { endDue, type SealedExpiries } from './sealed-expiries';

/** The answer for a clip whose consent was withdrawn: nothing of it is left to open. */
export const consentWithdrawn = (clipId: string): ServiceError =>
  new ServiceError('CONSENT_WITHDRAWN', `Consent for clip "${clipId}" was withdrawn; it was erased.`);

export type VaultDeps = {
  readonly vault: VaultRepository;
  readonly batches: BatchRepository;
  /** An import stores its batch, keys and clips as one. */
  readonly unitOfWork: Pick<UnitOfWork, 'run'>;
  /** The device key, which every batch key is wrapped for. */
  readonly deviceKeys: DeviceKeys;
  readonly clock: TrustedClock;
  readonly events: EventHub;
  readonly logger: Logger;
  /** Runs after every erase: removes what a crash left that could still open (leftovers.ts). */
  readonly afterErase?: () => void;
  /** Imports that never finished (a crash mid-import) are removed through this at start. */
  readonly staging: Pick<ImportStagingRepository, 'leftovers' | 'discard'>;
  /** Where the import worker opens its own connection. */
  readonly worker: { readonly dbFile: string; readonly nativeBinding?: string; readonly chunk?: ChunkLimits };
  /** Expiries brought forward, kept sealed: a batch is due when its row or this says so. */
  readonly expiries?: Pick<SealedExpiries, 'dueBy'>;
};

export function createVaultService(d: VaultDeps) {
  const keys = new Map<string, Buffer>();

  const deviceKey = d.deviceKeys.deviceKey;

  const batchKey = (batchId: string): Buffer => {
    const cached = keys.get(batchId);
    if (cached) {
      return cached;
    }
    const wrap = d.vault.wrappedKey(batchId);
    if (!wrap) {
      throw new ServiceError('EXPIRED', `Batch "${batchId}" has expired or was revoked; its audio is gone.`);
    }
    const dk = deviceKey();
    const key = unwrapBatchKey(wrappedKeyFromBytes(wrap), dk, batchId);
    keys.set(batchId, key);
    return key;
  };

  const meta = createClipMeta({
    vault: d.vault,
    batchKey,
    now: () => d.clock.now(),
    logger: d.logger,
    expire: (batchId) => close(batchId, 'expired'),
  });
  const readMeta = meta.read;

  const forget = (batchId: string): void => {
    keys.get(batchId)?.fill(0);
    keys.delete(batchId);
  };

  /** Drops the key from memory, crypto-erases and purges in one commit, then checkpoints the WAL. */
  const erase = (batchId: string, status: 'expired' | 'revoked'): void => {
    forget(batchId);
    d.vault.eraseBatch(batchId, status);
    d.vault.checkpoint();
    // A copy of the file from before this erase, put back, is then refused as rolled back.
    d.clock.saveFloor();
    d.afterErase?.();
    d.logger.info('vault: batch erased', { batchId, status });
  };

  const imports = createBackgroundImports({
    ...d,
    deviceKey,
    erase,
    keep: (batchId, key) => keys.set(batchId, key),
  });

  /** Crypto-erases an active batch; one that already ended stays as it is. */
  const close = (batchId: string, status: 'expired' | 'revoked'): void => {
    if (imports.cancel(batchId)) {
      // Not visible yet: the import stops and leaves nothing (or, if it just got in, is erased).
      return;
    }
    const batch = d.batches.find(batchId);
    if (!batch) {
      throw new ServiceError('NOT_FOUND', `No batch "${batchId}" on this workstation.`);
    }
    if (batch.status !== 'active') {
      return;
    }
    erase(batchId, status);
    d.events.emit('batches:changed', d.batches.list());
  };

  const expireDue = (): string[] =>
    endDue(d.clock.now(), d.vault.batchesDueBy, d.expiries, (due) => {
      due.forEach((id) => erase(id, 'expired'));
      if (due.length > 0) {
        d.events.emit('batches:changed', d.batches.list());
      }
    });

  const activeBatch = (batchId: string): void => {
    expireDue();
    const status = d.batches.status(batchId);
    if (!status) {
      throw new ServiceError('NOT_FOUND', `No batch "${batchId}" on this workstation.`);
    }
    if (status !== 'active') {
      throw new ServiceError('EXPIRED', `Batch "${batchId}" is ${status}; its audio is gone.`);
    }
  };

  return {
    /** The workstation's key id, for enrolment and for packing the demo batch. */
    deviceKey,

    /** Imports a package file, or a package's bytes (a checkout), all or nothing. */
    importPackage(from: string | Uint8Array): ImportReport {
      const now = d.clock.now();
      const report = {
        batchId: '',
        imported: 0,
        quarantined: [] as { clipId: string; reason: string }[],
        withdrawn: [] as string[],
      };
      let key: Buffer | undefined;
      let expiresAt = 0;
      try {
        d.unitOfWork.run(() => {
          const opened = readPackage(
            from,
            { device: deviceKey(), now },
            {
              onOpened: (header, batchKey) => {
                key = batchKey;
                report.batchId = header.batchId;
                expiresAt = Date.parse(header.expiresAt);
                if (d.batches.status(header.batchId)) {
                  throw new PackageRefusedError([`Batch "${header.batchId}" is already on this workstation.`], {
                    reason: 'already_imported',
                    batchId: header.batchId,
                  });
                }
                d.batches.insert({
                  id: header.batchId,
                  locale: header.locale,
                  clipCount: header.clips.length,
                  createdAt: Date.parse(header.createdAt),
                  expiresAt,
                  importedAt: now,
                });
              },
              onClip: (o) => {
                const w = clipWrite(o, key as Buffer, report.batchId, expiresAt);
                if (w.kind === 'refused') {
                  report.withdrawn.push(w.clipId);
                  d.vault.insertRefused(report.batchId, w.clipId);
                  return;
                }
                if (o.kind === 'quarantined') {
                  report.quarantined.push({ clipId: w.clip.clipId, reason: o.reason });
                } else {
                  report.imported += 1;
                }
                d.vault.insertClip(report.batchId, w.clip);
              },
            },
          );
          d.vault.saveKey(report.batchId, opened.wrapped.keyId, wrappedKeyToBytes(opened.wrapped));
        });
      } catch (error) {
        // All-or-nothing: the transaction rolled back, and the key leaves memory too.
        key?.fill(0);
        if (error instanceof PackageRefusedError) {
          throw new ServiceError('PACKAGE_REFUSED', error.message, error.refusal);
        }
        throw error;
      }
      keys.set(report.batchId, key as Buffer);
      d.logger.info('vault: batch imported', {
        batchId: report.batchId,
        imported: report.imported,
        quarantined: report.quarantined.length,
        withdrawn: report.withdrawn.length,
      });
      d.events.emit('batches:changed', d.batches.list());
      return report;
    },

    importInBackground: imports.importInBackground,
    discardUnfinishedImports: imports.discardUnfinished,
    /** Stops every running import and ends the import workers (the app is closing); each import leaves nothing. */
    stopImports: (): void => imports.close(),
    /** Settles once the import workers have ended, after {@link stopImports}. */
    importsEnded: (): Promise<void> => imports.ended(),

    listClips(batchId: string): ClipSummary[] {
      activeBatch(batchId);
      return d.vault.clips(batchId).map((c) => ({
        id: c.clipId,
        ordinal: c.ordinal,
        state: c.state,
        reason: c.reason,
        durationMs: c.meta ? readMeta(batchId, c.clipId, c.meta).durationMs : null,
      }));
    },

    openClip(batchId: string, clipId: string): OpenedClip {
      activeBatch(batchId);
      const row = d.vault.readyClip(batchId, clipId);
      if (!row && d.vault.wasErased(batchId, clipId)) {
        throw consentWithdrawn(clipId);
      }
      if (!row) {
        throw new ServiceError('NOT_FOUND', `Clip "${clipId}" cannot be played (missing or quarantined).`);
      }
      const key = batchKey(batchId);
      const meta = readMeta(batchId, clipId, row.meta);
      const audio = open(key, row.audio, aad('clip', batchId, clipId), 'The clip audio');
      return {
        id: clipId,
        batchId,
        codec: meta.codec,
        durationMs: meta.durationMs,
        asrText: meta.asrText,
        hints: meta.hints,
        audio,
      };
    },

    refusedClips: (batchId: string): string[] => d.vault.refusedClipIds(batchId),

    packageExpiry: meta.packageExpiry,

    expireDue,

    /** Revokes an active batch; one that already expired or was revoked stays as it is. */
    revoke: (batchId: string): void => close(batchId, 'revoked'),

    /**
     * Ends an active batch as expired before its time: the service says it expired, or all its
     * work is acknowledged and its audio is no longer needed. Its annotations stay.
     */
    expire: (batchId: string): void => close(batchId, 'expired'),

    /** Drops every unwrapped batch key from memory (lock, sign-out). */
    forgetKeys(): void {
      [...keys.keys()].forEach(forget);
    },

    /**
     * The app locks: every batch key is zero-filled and dropped, the device key is dropped (a
     * KeyObject cannot be wiped, so no reference to it is kept), and until `unlockKeys` nothing
     * loads a key again: every use of the device key throws the lock error.
     */
    lockKeys(): void {
      // A running import holds a copy of its batch key in the worker: it stops too.
      imports.stopAll('locked');
      [...keys.keys()].forEach(forget);
      d.deviceKeys.lock();
    },

    /** The app unlocked: keys load again from the key store on their next use. */
    unlockKeys(): void {
      d.deviceKeys.unlock();
    },

    deviceKeyOnce: d.deviceKeys.deviceKeyOnce,
    devicePublicKey: d.deviceKeys.devicePublicKey,
  };
}

export type VaultService = ReturnType<typeof createVaultService>;
