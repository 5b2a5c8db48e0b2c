/**
 * The clip vault: imports batch packages all-or-nothing, opens clips for playback from
 * ciphertext at rest, and crypto-erases batches that expire or are revoked.
 */
import type { ImportReport } from '../../shared/domain/batch';
import type { ClipHints, ClipSummary, OpenedClip } from '../../shared/domain/clip';
import type { ClipDetails, Codec } from '../../shared/batch-package/manifest';
import { aad, open, seal } from '../crypto/aead';
import type { DeviceKey } from '../crypto/device-key';
import type { KeyStore } from '../crypto/key-store';
import { unwrapBatchKey, type WrappedKey } from '../crypto/key-wrap';
import type { BatchRepository } from '../db/repositories/batch.repository';
import type { SealedColumns, VaultRepository } from '../db/repositories/vault.repository';
import type { Logger } from '../log/logger';
import { PackageRefusedError, readPackage } from '../vault/package-reader';
import type { EventHub } from './event-hub';
import { lockedError } from './locked-error';
import { ServiceError } from './service-error';
import type { TrustedClock } from './trusted-clock';

type ClipMeta = { durationMs: number; codec: Codec; asrText: string; hints: ClipHints | null };

export type VaultDeps = {
  readonly vault: VaultRepository;
  readonly batches: BatchRepository;
  readonly keyStore: KeyStore;
  readonly clock: TrustedClock;
  readonly events: EventHub;
  readonly logger: Logger;
};

const encodeWrap = (w: WrappedKey): Buffer =>
  Buffer.from(
    JSON.stringify({
      e: w.ephemeralPublicKey.toString('base64'),
      s: w.salt.toString('base64'),
      i: w.iv.toString('base64'),
      t: w.tag.toString('base64'),
      k: w.wrappedKey.toString('base64'),
    }),
  );

function decodeWrap(keyId: string, raw: Buffer): WrappedKey {
  const j = JSON.parse(raw.toString('utf8')) as Record<'e' | 's' | 'i' | 't' | 'k', string>;
  const b = (s: string): Buffer => Buffer.from(s, 'base64');
  return { keyId, ephemeralPublicKey: b(j.e), salt: b(j.s), iv: b(j.i), tag: b(j.t), wrappedKey: b(j.k) };
}

const asSealed = (c: SealedColumns) => ({ iv: c.iv, tag: c.tag, ciphertext: c.data });

/** Clip details at rest: sealed per clip so one clip's can be read without the others'. */
function sealMeta(key: Buffer, batchId: string, c: ClipDetails): SealedColumns {
  const meta: ClipMeta = { durationMs: c.durationMs, codec: c.codec, asrText: c.asrText, hints: c.hints ?? null };
  const s = seal(key, Buffer.from(JSON.stringify(meta), 'utf8'), aad('meta', batchId, c.id));
  return { iv: s.iv, tag: s.tag, data: s.ciphertext };
}

/** The public half of the device key: no secret, so it may stay in memory while the app is locked. */
export type DevicePublicKey = Pick<DeviceKey, 'keyId' | 'publicKey'>;

export function createVaultService(d: VaultDeps) {
  let device: DeviceKey | undefined;
  let devicePublic: DevicePublicKey | undefined;
  /** Set while the app is locked: no key may be loaded until it is unlocked. */
  let keysLocked = false;
  const keys = new Map<string, Buffer>();

  const deviceKey = (): DeviceKey => {
    if (keysLocked) {
      throw lockedError();
    }
    device ??= d.keyStore.loadOrCreateDeviceKey();
    devicePublic ??= { keyId: device.keyId, publicKey: device.publicKey };
    return device;
  };

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
    const key = unwrapBatchKey(decodeWrap(dk.keyId, wrap), dk, batchId);
    keys.set(batchId, key);
    return key;
  };

  const readMeta = (batchId: string, clipId: string, sealed: SealedColumns): ClipMeta =>
    JSON.parse(
      open(batchKey(batchId), asSealed(sealed), aad('meta', batchId, clipId), 'Clip details').toString('utf8'),
    ) as ClipMeta;

  const forget = (batchId: string): void => {
    keys.get(batchId)?.fill(0);
    keys.delete(batchId);
  };

  /** Drops the key from memory, crypto-erases and purges in one commit, then checkpoints the WAL. */
  const erase = (batchId: string, status: 'expired' | 'revoked'): void => {
    forget(batchId);
    d.vault.eraseBatch(batchId, status);
    d.vault.checkpoint();
    d.logger.info('vault: batch erased', { batchId, status });
  };

  /** Crypto-erases an active batch; one that already ended stays as it is. */
  const close = (batchId: string, status: 'expired' | 'revoked'): void => {
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

  const expireDue = (): string[] => {
    const due = d.vault.batchesDueBy(d.clock.now());
    due.forEach((id) => erase(id, 'expired'));
    if (due.length > 0) {
      d.events.emit('batches:changed', d.batches.list());
    }
    return due;
  };

  const activeBatch = (batchId: string): void => {
    expireDue();
    const batch = d.batches.find(batchId);
    if (!batch) {
      throw new ServiceError('NOT_FOUND', `No batch "${batchId}" on this workstation.`);
    }
    if (batch.status !== 'active') {
      throw new ServiceError('EXPIRED', `Batch "${batchId}" is ${batch.status}; its audio is gone.`);
    }
  };

  return {
    /** The workstation's key id, for enrolment and for packing the demo batch. */
    deviceKey,

    importPackage(file: string): ImportReport {
      const now = d.clock.now();
      const report = {
        batchId: '',
        imported: 0,
        quarantined: [] as { clipId: string; reason: string }[],
        withdrawn: [] as string[],
      };
      let key: Buffer | undefined;
      try {
        d.vault.transaction(() => {
          const opened = readPackage(
            file,
            { device: deviceKey(), now },
            {
              onOpened: (header, batchKey) => {
                key = batchKey;
                report.batchId = header.batchId;
                if (d.batches.find(header.batchId)) {
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
                  expiresAt: Date.parse(header.expiresAt),
                  importedAt: now,
                });
              },
              onClip: (o) => {
                const id = o.details.id;
                if (o.kind === 'withdrawn') {
                  report.withdrawn.push(id);
                  d.vault.insertRefused(report.batchId, id);
                  return;
                }
                const meta = sealMeta(key as Buffer, report.batchId, o.details);
                if (o.kind === 'quarantined') {
                  report.quarantined.push({ clipId: id, reason: o.reason });
                  d.vault.insertClip(report.batchId, {
                    clipId: id,
                    ordinal: o.ordinal,
                    state: 'quarantined',
                    reason: o.reason,
                    meta,
                  });
                } else {
                  report.imported += 1;
                  const audio = { iv: o.iv, tag: o.tag, data: o.ciphertext };
                  d.vault.insertClip(report.batchId, { clipId: id, ordinal: o.ordinal, state: 'ready', audio, meta });
                }
              },
            },
          );
          d.vault.saveKey(report.batchId, opened.wrapped.keyId, encodeWrap(opened.wrapped));
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
      if (!row) {
        throw new ServiceError('NOT_FOUND', `Clip "${clipId}" cannot be played (missing or quarantined).`);
      }
      const key = batchKey(batchId);
      const meta = readMeta(batchId, clipId, row.meta);
      const audio = open(key, asSealed(row.audio), aad('clip', batchId, clipId), 'The clip audio');
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

    expireDue,

    /** Revokes an active batch; one that already expired or was revoked stays as it is. */
    revoke(batchId: string): void {
      close(batchId, 'revoked');
    },

    /**
     * Ends an active batch as expired before its time: the service says it expired, or all its
     * work is acknowledged and its audio is no longer needed. Its annotations stay.
     */
    expire(batchId: string): void {
      close(batchId, 'expired');
    },

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
      keysLocked = true;
      [...keys.keys()].forEach(forget);
      device = undefined;
    },

    /** The app unlocked: keys load again from the key store on their next use. */
    unlockKeys(): void {
      keysLocked = false;
    },

    /**
     * The device key for one check while locked (the unlock secret's verifier), read from the
     * key store and kept nowhere; the caller drops it when done.
     */
    deviceKeyOnce: (): DeviceKey => device ?? d.keyStore.loadOrCreateDeviceKey(),

    /** The device public key, which work held while locked is sealed for. */
    devicePublicKey(): DevicePublicKey {
      if (!devicePublic) {
        const loaded = d.keyStore.loadOrCreateDeviceKey();
        devicePublic = { keyId: loaded.keyId, publicKey: loaded.publicKey };
      }
      return devicePublic;
    },
  };
}

export type VaultService = ReturnType<typeof createVaultService>;
