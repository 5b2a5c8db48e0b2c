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
import { aad, KEY_BYTES, open, seal } from '../crypto/aead';
import type { DeviceKey } from '../crypto/device-key';
import { unwrapBatchKey, wrapBatchKey, type WrappedKey } from '../crypto/key-wrap';
import type { SettingsRepository } from '../db/repositories/settings.repository';
import type { HeldDraftRow } from '../db/repositories/settings.schema';
import type { DevicePublicKey } from './vault.service';

export type HeldDraft = {
  readonly batchId: string;
  readonly clipId: string;
  readonly basedOnRevision: number;
  readonly body: AnnotationBody;
  readonly disposition: Disposition | null;
};

/** What the key wrap binds the data key to: its use and the clip, NUL-separated like AAD. */
const wrapLabel = (batchId: string, clipId: string): string => ['held-draft', batchId, clipId].join('\0');

type Stored = HeldDraftRow;

const b64 = (b: Buffer): string => b.toString('base64');
const bytes = (s: string): Buffer => Buffer.from(s, 'base64');

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
        const s = seal(
          dataKey,
          Buffer.from(JSON.stringify(draft), 'utf8'),
          aad('held-draft', draft.batchId, draft.clipId),
        );
        const entry: Stored = {
          batchId: draft.batchId,
          clipId: draft.clipId,
          wrap: {
            ephemeralPublicKey: b64(w.ephemeralPublicKey),
            salt: b64(w.salt),
            iv: b64(w.iv),
            tag: b64(w.tag),
            wrappedKey: b64(w.wrappedKey),
          },
          iv: b64(s.iv),
          tag: b64(s.tag),
          data: b64(s.ciphertext),
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
          const { ephemeralPublicKey, salt, iv, tag, wrappedKey } = e.wrap;
          const w: WrappedKey = {
            keyId: device.keyId,
            ephemeralPublicKey: bytes(ephemeralPublicKey),
            salt: bytes(salt),
            iv: bytes(iv),
            tag: bytes(tag),
            wrappedKey: bytes(wrappedKey),
          };
          const dataKey = unwrapBatchKey(w, device, wrapLabel(e.batchId, e.clipId));
          try {
            const plain = open(
              dataKey,
              { iv: bytes(e.iv), tag: bytes(e.tag), ciphertext: bytes(e.data) },
              aad('held-draft', e.batchId, e.clipId),
              'A draft kept while locked',
            );
            save(JSON.parse(plain.toString('utf8')) as HeldDraft);
            plain.fill(0);
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
