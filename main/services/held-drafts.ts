/**
 * Drafts that arrive while the app is locked: the renderer flushes the reviewer's last
 * keystrokes as it locks, and the OS may lock mid-sentence. The annotation key is gone by then
 * and must not come back before the unlock, so each draft is sealed for the device's *public*
 * key instead (a fresh data key wrapped by an ephemeral X25519 agreement, as batch keys are) and
 * kept in the settings table, where it survives even a crash while locked. Only the device
 * private key, loaded again at unlock, opens it; the unlock then saves it as an ordinary draft.
 */
import { randomBytes } from 'node:crypto';
import type { AnnotationBody, Disposition } from '../../shared/domain/annotation';
import { aad, KEY_BYTES } from '../../core/crypto/aead';
import {
  decodeSealedPart,
  decodeWrappedKey,
  encodeSealedPart,
  encodeWrappedKey,
  openJson,
  sealJson,
} from '../../core/crypto/codec';
import type { DeviceKey } from '../../core/crypto/device-key';
import { unwrapBatchKey, wrapBatchKey } from '../../core/crypto/key-wrap';
import type { SettingsRepository } from '../db/repositories/settings.repository';
import { heldDraftAtRestSchema } from './annotation-at-rest.schema';
import type { HeldDraftRow } from '../db/repositories/settings.schema';
import type { DevicePublicKey } from './device-keys';

export type HeldDraft = {
  readonly batchId: string;
  readonly clipId: string;
  readonly basedOnRevision: number;
  readonly body: AnnotationBody;
  readonly disposition: Disposition | null;
};

/** What the key wrap binds the data key to: its use and the clip, NUL-separated like AAD. */
const wrapLabel = (batchId: string, clipId: string): string => ['held-draft', batchId, clipId].join('\0');

/**
 * One held draft as stored. `wrap` is the data key wrapped for the device; it is opened with the
 * device key loaded at unlock, whose id stands in for the stored one (entries from earlier builds
 * have none). `data` is the sealed draft's ciphertext, under the name earlier builds stored it.
 */
type Stored = HeldDraftRow;

export function createHeldDrafts(d: {
  readonly settings: SettingsRepository;
  readonly publicKey: () => DevicePublicKey;
}) {
  const read = (): Stored[] => {
    return d.settings.get('lock.heldDrafts') ?? [];
  };

  return {
    /** Seals a draft for the device public key and keeps it; a later one for the same clip replaces it. */
    hold(draft: HeldDraft): void {
      const dataKey = randomBytes(KEY_BYTES);
      try {
        const w = wrapBatchKey(dataKey, d.publicKey().publicKey, wrapLabel(draft.batchId, draft.clipId));
        const s = sealJson(dataKey, draft, aad('held-draft', draft.batchId, draft.clipId));
        const { iv, tag } = encodeSealedPart(s);
        const entry: Stored = {
          batchId: draft.batchId,
          clipId: draft.clipId,
          wrap: encodeWrappedKey(w),
          iv,
          tag,
          data: s.ciphertext.toString('base64'),
        };
        const others = read().filter((e) => e.batchId !== draft.batchId || e.clipId !== draft.clipId);
        d.settings.set('lock.heldDrafts', [...others, entry]);
      } finally {
        dataKey.fill(0);
      }
    },

    /** Whether any draft waits for the unlock. */
    pending: (): boolean => d.settings.has('lock.heldDrafts'),

    /**
     * Opens every held draft with the device key, hands each to `save` in the order they were
     * held, then forgets them all. A draft that cannot be opened or saved goes to `failed`.
     */
    release(device: DeviceKey, save: (draft: HeldDraft) => void, failed: (error: unknown) => void): number {
      let saved = 0;
      for (const e of read()) {
        try {
          const w = decodeWrappedKey({ ...e.wrap, keyId: device.keyId });
          const dataKey = unwrapBatchKey(w, device, wrapLabel(e.batchId, e.clipId));
          try {
            save(
              openJson(
                dataKey,
                decodeSealedPart(e, Buffer.from(e.data, 'base64')),
                aad('held-draft', e.batchId, e.clipId),
                heldDraftAtRestSchema,
                'A draft kept while locked',
              ),
            );
            saved += 1;
          } finally {
            dataKey.fill(0);
          }
        } catch (error) {
          failed(error);
        }
      }
      d.settings.delete('lock.heldDrafts');
      return saved;
    },
  };
}

export type HeldDrafts = ReturnType<typeof createHeldDrafts>;
