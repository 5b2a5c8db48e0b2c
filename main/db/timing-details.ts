/**
 * A timing event's kind and label sealed at rest, so the database file does not tell which
 * disposition a clip got, which critical-data category was tagged in it, or that it was
 * escalated (migration 0017). Events arrive while the app is locked too (the renderer flushes
 * what it recorded as it locks), when no symmetric key may be loaded: so each batch of events is
 * sealed under a fresh data key wrapped for the device *public* key, as held drafts are, and only
 * the device private key (loaded again at unlock) opens it. Associated data binds the event's
 * epoch and sequence number, so a sealed detail moved to another row does not open.
 *
 * Nothing on the workstation reads a label back: the timeline and the metrics need only the
 * stored kind (`mark` for the three that reveal something). The upload opens the detail. A
 * public-key seal hides; it does not vouch (anyone holding the public key could seal): the facts
 * a report or a sync trusts come from the revision bodies and the metrics flags, sealed under
 * symmetric keys.
 */
import { randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { aad, KEY_BYTES, type Sealed } from '../../core/crypto/aead';
import { openJson, sealJson, wrappedKeyFromBytes, wrappedKeyToBytes } from '../../core/crypto/codec';
import type { DeviceKey } from '../../core/crypto/device-key';
import { unwrapBatchKey, wrapBatchKey } from '../../core/crypto/key-wrap';
import { timingEventKinds, type TimingEventKind } from '../../shared/domain/timing';

/** Kinds whose mere presence says what a clip holds: stored as `mark`, their kind sealed. */
export const REVEALING_KINDS: ReadonlySet<TimingEventKind> = new Set<TimingEventKind>([
  'disposition',
  'tag',
  'escalate',
]);

/** What is sealed of an event. */
export type TimingDetail = { readonly kind: TimingEventKind; readonly label: string | null };

/** An event's sealed detail as stored: the wrapped data key and the sealed kind and label. */
export type SealedDetail = { readonly key: Buffer; readonly sealed: Sealed };

/** The row a detail belongs to. */
export type DetailIds = { readonly epoch: string; readonly seq: number };

const detailSchema = z.strictObject({ kind: z.enum(timingEventKinds), label: z.string().nullable() });

const detailAad = (ids: DetailIds): Buffer => aad('timing-event', ids.epoch, String(ids.seq));
/** What the wrap binds the data key to: its use and the epoch, NUL-separated like AAD. */
const wrapLabel = (epoch: string): string => ['timing-events', epoch].join('\0');

/** Whether an event keeps its kind or label sealed. */
export const needsSeal = (kind: TimingEventKind, label: string | null): boolean =>
  label !== null || REVEALING_KINDS.has(kind);

export function createTimingDetailSeal() {
  let publicKey: (() => KeyObject) | null = null;
  let privateKey: (() => DeviceKey) | null = null;
  return {
    /** Where the keys come from: the public half (always at hand) seals, the device key opens. */
    useKeys: (sources: { readonly publicKey: () => KeyObject; readonly deviceKey: () => DeviceKey }): void => {
      publicKey = sources.publicKey;
      privateKey = sources.deviceKey;
    },
    /**
     * A sealer for one batch of events of `epoch`: one data key, wrapped once, seals each of
     * them. Call `done` afterwards: it zero-fills the data key.
     */
    sealer(epoch: string): { seal(seq: number, detail: TimingDetail): SealedDetail; done(): void } {
      if (!publicKey) {
        throw new Error('Timing events cannot be sealed before the device public key is available.');
      }
      const dataKey = randomBytes(KEY_BYTES);
      const wrapped = wrappedKeyToBytes(wrapBatchKey(dataKey, publicKey(), wrapLabel(epoch)));
      return {
        seal: (seq, detail) => ({ key: wrapped, sealed: sealJson(dataKey, detail, detailAad({ epoch, seq })) }),
        done: () => dataKey.fill(0),
      };
    },
    /**
     * An opener that unwraps each data key once (rows of one batch share it). Throws
     * AuthenticationError, naming the row, when a detail was altered or moved.
     */
    opener(): { open(ids: DetailIds, detail: SealedDetail): TimingDetail; done(): void } {
      if (!privateKey) {
        throw new Error('Timing events cannot be opened before the device key is available.');
      }
      const device = privateKey();
      const keys = new Map<string, Buffer>();
      return {
        open: (ids, detail) => {
          const cacheKey = `${ids.epoch}\0${detail.key.toString('base64')}`;
          let dataKey = keys.get(cacheKey);
          if (!dataKey) {
            dataKey = unwrapBatchKey(wrappedKeyFromBytes(detail.key), device, wrapLabel(ids.epoch));
            keys.set(cacheKey, dataKey);
          }
          return openJson(
            dataKey,
            detail.sealed,
            detailAad(ids),
            detailSchema,
            `Timing event ${ids.seq} of epoch "${ids.epoch}"`,
          );
        },
        done: () => {
          for (const k of keys.values()) {
            k.fill(0);
          }
          keys.clear();
        },
      };
    },
  };
}

export type TimingDetailSeal = ReturnType<typeof createTimingDetailSeal>;
