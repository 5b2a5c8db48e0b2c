/**
 * Keyed references to clips, for rows whose mere existence says something about the clip: an
 * escalation row (and its outbox row) names `clipRef(batch, clip)` instead of the clip id, so
 * the database file does not tell which clips were escalated, while the app can still find a
 * clip's escalations (to count them at submit, to erase them when consent is withdrawn). The
 * reference is an HMAC-SHA256 under a key derived from the device key (purpose
 * `escalation-clip-ref`), cut to 128 bits; the key is dropped at the lock. While locked (a
 * consent erasure arriving then), the key is derived for that one use and zero-filled at once.
 */
import { createHmac } from 'node:crypto';
import { aad } from '../../core/crypto/aead';
import { deriveLocalKey, type DeviceKey } from '../../core/crypto/device-key';
import type { EventHub } from './event-hub';
import { ServiceError } from './service-error';

/** What every reference starts with: never a clip id's `c-`, so the two cannot be confused. */
export const CLIP_REF_PREFIX = 'ref-';

export type ClipRefsDeps = {
  readonly deviceKey: () => DeviceKey;
  /** The device key for one use while locked, kept nowhere. */
  readonly deviceKeyOnce: () => DeviceKey;
  readonly events: Pick<EventHub, 'on'>;
};

const PURPOSE = 'escalation-clip-ref';

const mac = (key: Buffer, batchId: string, clipId: string): string =>
  CLIP_REF_PREFIX +
  createHmac('sha256', key)
    .update(aad(PURPOSE, batchId, clipId))
    .digest('hex')
    .slice(0, 32);

/** Makes the clip references; see the module note. */
export function createClipRefs(d: ClipRefsDeps) {
  let key: Buffer | undefined;
  d.events.on('lock:locked', () => {
    key?.fill(0);
    key = undefined;
  });
  return {
    /** The reference that stands for `clipId` of `batchId` in rows that must not name it. */
    ref: (batchId: string, clipId: string): string => {
      if (key) {
        return mac(key, batchId, clipId);
      }
      let device: DeviceKey;
      try {
        device = d.deviceKey();
      } catch (error) {
        if (!(error instanceof ServiceError && error.code === 'LOCKED')) {
          throw error;
        }
        const once = deriveLocalKey(d.deviceKeyOnce(), PURPOSE);
        try {
          return mac(once, batchId, clipId);
        } finally {
          once.fill(0);
        }
      }
      key = deriveLocalKey(device, PURPOSE);
      return mac(key, batchId, clipId);
    },
  };
}

export type ClipRefs = ReturnType<typeof createClipRefs>;
