/**
 * The service's expiry of each batch held here, kept where the workstation's own user cannot wind
 * it back, so that one an operator brought forward stays brought forward.
 *
 * A sync moves a checked-out batch's row to an earlier expiry (sync/batch-sync.ts). The row alone
 * would let someone with the database file edit it back to the package's own expiry and keep the
 * batch playable offline until then. So the service's time is also kept in a sealed monotonic
 * entry (main/db/sealed-state.ts), per batch, and a batch is due when either says so. An entry
 * that was altered, deleted or restored from an older copy fails closed: `dueBy` throws the
 * SealedStateError, so no clip opens until an administrator re-enrols the workstation, as with
 * the trusted clock's floor.
 *
 * Only active batches keep an entry: ended ones are dropped at the next write. A batch's time is
 * written only once it is earlier than the package's own expiry (sealed with every clip, which
 * ends the batch anyway; batch-sync.ts decides), and again only when it moves earlier still, so
 * most syncs write nothing.
 */
import { z } from 'zod';
import { SealedStateError, type SealedStateAccess } from '../db/sealed-state';
import type { Logger } from '../log/logger';

const ENTRY = 'batchExpiries';
const expiriesSchema = z.record(z.string(), z.number().int().nonnegative());
type Expiries = z.infer<typeof expiriesSchema>;

export type SealedExpiriesDeps = {
  readonly state: SealedStateAccess;
  readonly logger: Pick<Logger, 'error'>;
  /** Whether a batch is still active here: only those keep an entry or fall due. */
  readonly isActive: (batchId: string) => boolean;
};

export function createSealedExpiries(d: SealedExpiriesDeps) {
  /** The entry as last read or written; undefined until it could be read (the device key is needed). */
  let known: Expiries | undefined;
  let fault: SealedStateError | undefined;

  const failClosed = (error: SealedStateError): never => {
    if (!fault) {
      fault = error;
      d.logger.error('vault: the sealed batch expiries cannot be trusted; no clip opens', { fault: error.fault });
    }
    throw fault;
  };

  /** The entry; undefined while the device key cannot be had (locked). */
  const load = (): Expiries | undefined => {
    if (fault) {
      throw fault;
    }
    if (known) {
      return known;
    }
    let found;
    try {
      found = d.state.read(ENTRY, expiriesSchema);
    } catch {
      // No device key now: nothing can open either; read on a later call.
      return undefined;
    }
    if (found.state === 'refused') {
      failClosed(found.error);
    }
    known = found.state === 'present' ? found.value : {};
    return known;
  };

  return {
    /**
     * Keeps `at` as the batch's expiry unless an earlier one is kept. Call outside a transaction.
     * @throws SealedStateError when the entry cannot be trusted.
     */
    bringForward(batchId: string, at: number): void {
      const current = load();
      if (current === undefined) {
        throw new Error('The batch expiries need the device key: the app is locked.');
      }
      const kept = current[batchId];
      if (kept !== undefined && kept <= at) {
        return;
      }
      const next: Expiries = Object.fromEntries(Object.entries(current).filter(([id]) => d.isActive(id)));
      next[batchId] = at;
      try {
        d.state.advance(ENTRY, expiriesSchema, next);
      } catch (error) {
        if (error instanceof SealedStateError) {
          failClosed(error);
        }
        throw error;
      }
      known = next;
    },
    /**
     * Active batches whose kept expiry is `now` or earlier.
     * @throws SealedStateError when the entry cannot be trusted.
     */
    dueBy(now: number): string[] {
      const current = load() ?? {};
      return Object.entries(current)
        .filter(([id, at]) => at <= now && d.isActive(id))
        .map(([id]) => id);
    },
  };
}

export type SealedExpiries = ReturnType<typeof createSealedExpiries>;

/**
 * Ends every batch due by `now` through `end`: those whose row says so and those whose sealed time
 * does. Sealed times that cannot be trusted throw their SealedStateError, so no clip opens, but
 * only after the batches the rows name are ended: a faulty entry must not keep their audio.
 */
export function endDue(
  now: number,
  byRow: (now: number) => string[],
  expiries: Pick<SealedExpiries, 'dueBy'> | undefined,
  end: (due: string[]) => void,
): string[] {
  const due = new Set(byRow(now));
  try {
    expiries?.dueBy(now).forEach((id) => due.add(id));
  } finally {
    end([...due]);
  }
  return [...due];
}
