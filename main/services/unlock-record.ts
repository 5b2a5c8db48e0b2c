/**
 * The lock's sealed record (main/db/sealed-state.ts): the count of wrong unlock tries in a row,
 * when the next try is taken, and whether an unlock secret guards the lock. The verifiers
 * themselves are settings rows; the record remembers that one was set, so a verifier deleted
 * from the database leaves a lock that cannot be opened, never one that asks for nothing.
 */
import { z } from 'zod';
import type { SealedStateAccess } from '../db/sealed-state';
import type { Logger } from '../log/logger';
import { ServiceError } from './service-error';

/** Wrong tries allowed before a wait; each further wrong try doubles the wait. */
export const FREE_TRIES = 5;
export const FIRST_WAIT_MS = 30_000;

const recordSchema = z.strictObject({
  count: z.number().int().nonnegative(),
  retryAt: z.number().int().nonnegative().nullable(),
  /** A password or PIN was set and not forgotten at a sign-out; absent in records made before it was kept. */
  guarded: z.boolean().optional(),
});
export type UnlockRecord = z.infer<typeof recordSchema>;
const ENTRY = 'unlockFailures';

export function createUnlockRecord(d: { readonly state: SealedStateAccess; readonly logger: Logger }) {
  /** The record as last read or written here; the sealed entry is read once per process. */
  let cached: UnlockRecord | undefined;

  /** The stored record; an altered or rolled-back one refuses every try (fail closed). */
  const read = (): UnlockRecord => {
    if (cached) {
      return cached;
    }
    const found = d.state.read(ENTRY, recordSchema);
    if (found.state === 'refused') {
      d.logger.error('lock: the count of wrong tries cannot be trusted; unlock refused', { fault: found.error.fault });
      throw new ServiceError(
        'UNAVAILABLE',
        'The record of wrong unlock tries was altered or restored from an older copy; ask your IT administrator.',
      );
    }
    cached = found.state === 'present' ? found.value : { count: 0, retryAt: null };
    return cached;
  };
  const write = (next: UnlockRecord): void => {
    cached = undefined;
    d.state.advance(ENTRY, recordSchema, next);
    cached = next;
  };
  return {
    read,
    /** Records `count` wrong tries in a row and when the next is taken; the guard is kept. */
    failures(count: number, retryAt: number | null): void {
      write({ ...read(), count, retryAt });
    },
    /** Records that a secret guards the lock (set) or no longer does (sign-out). */
    guard(guarded: boolean): void {
      if (read().guarded !== guarded) {
        write({ ...read(), guarded });
      }
    },
    /** A secret was set; true when the record cannot be read either (fail closed). */
    guarded(): boolean {
      try {
        return read().guarded === true;
      } catch {
        return true;
      }
    },
  };
}
