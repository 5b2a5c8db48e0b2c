/**
 * A clip's metrics flags (disposition, critical, escalated) sealed at rest, so the database file
 * does not tell which clips held critical data or were escalated. They are sealed under a key
 * derived from the device key, with the batch, clip and revision as associated data: flags copied
 * to another row do not open. The key comes from the services (which drop it at the lock) through
 * {@link MetricsFlagsSeal.useKey}; until then nothing can seal or open.
 */
import { z } from 'zod';
import type { Sealed } from '../../core/crypto/aead';
import { aad } from '../../core/crypto/aead';
import { openJson, sealJson } from '../../core/crypto/codec';
import { createSealMemo } from '../../core/crypto/seal-memo';
import { dispositions, type Disposition } from '../../shared/domain/annotation';

/** The metrics facts that reveal what a clip holds. */
export type MetricsFlags = {
  readonly disposition: Disposition;
  readonly critical: boolean;
  readonly escalated: boolean;
};

/** The row a set of flags belongs to. */
export type MetricsIds = { readonly batchId: string; readonly clipId: string; readonly revision: number };

const flagsSchema = z.strictObject({
  disposition: z.enum(dispositions),
  critical: z.boolean(),
  escalated: z.boolean(),
});

/** Flags kept with their plaintext after sealing, so the sync that sends them opens none it sealed lately. */
const FLAGS_MEMO_ENTRIES = 2048;

const flagsAad = (ids: MetricsIds): Buffer => aad('clip-metrics', ids.batchId, ids.clipId, String(ids.revision));

export function createMetricsFlagsSeal() {
  let keySource: (() => Buffer) | null = null;
  const memo = createSealMemo(FLAGS_MEMO_ENTRIES);
  /** Until every row from before sealing was sealed, such a row's plain columns are read as they are. */
  let legacyAllowed = true;
  const key = (): Buffer => {
    if (!keySource) {
      throw new Error('Clip metrics cannot be sealed or opened before the device key is available.');
    }
    return keySource();
  };
  return {
    /** Where the key comes from: called on every seal and open, so a lock takes effect at once. */
    useKey: (source: () => Buffer): void => {
      keySource = source;
    },
    /**
     * Every row from before the flags were sealed has been sealed: from now on a row with plain
     * flags can only be an edit (a sealed row turned back into the old form to choose its flags),
     * and is refused.
     */
    refuseLegacy: (): void => {
      legacyAllowed = false;
    },
    /** Whether a row with plain flags may still be read as written before sealing. */
    legacyAllowed: (): boolean => legacyAllowed,
    seal: (ids: MetricsIds, flags: MetricsFlags): Sealed => sealJson(key(), flags, flagsAad(ids), memo),
    /** Throws AuthenticationError, naming the row, when the flags were altered or moved. */
    open: (ids: MetricsIds, sealed: Sealed): MetricsFlags =>
      openJson(
        key(),
        sealed,
        flagsAad(ids),
        flagsSchema,
        `The metrics flags of revision ${ids.revision} of clip "${ids.clipId}" in batch "${ids.batchId}"`,
        memo,
      ),
    /** Drops the flags kept in memory since they were sealed (at the lock, with the key). */
    forget: (): void => memo.clear(),
    /** How many sealed flags are kept with their plaintext. */
    inMemory: (): number => memo.stats().size,
  };
}

export type MetricsFlagsSeal = ReturnType<typeof createMetricsFlagsSeal>;
