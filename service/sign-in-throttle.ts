/**
 * Sign-in throttling, kept in the store so every service process sees the same counts and a
 * restart forgets nothing. An attempt is counted as a failure *before* its credentials are
 * checked, in the same unit of work as the check of the limits, so attempts racing each other
 * all count; a sign-in that succeeds takes its pair's failures back.
 *
 * Limits are keyed by what was typed and where from, never by whether the account exists:
 * - a (name as typed, source address) pair with 5 failures is locked for 30 s, doubling with each
 *   further failure (at most a day), so a third party from elsewhere cannot lock the owner out;
 * - a source with 20 failures in a minute is refused for any name (password spraying);
 * - a name with 50 failures in an hour is refused from any source (a distributed guess).
 */
import { signInLimits as L } from '../shared/sync/protocol';
import type { Repositories } from './store/repositories';

/** Failures are forgotten after a day. */
const KEEP_MS = 24 * 60 * 60 * 1000;

export type ThrottleVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/** When the `limit`-th most recent of `times` (oldest first) leaves a window of `windowMs`, or null below the limit. */
function windowEnd(times: readonly number[], limit: number, windowMs: number): number | null {
  const pivot = times[times.length - limit];
  return times.length >= limit && pivot !== undefined ? pivot + windowMs : null;
}

/** How long a pair with these failures is locked after its last one, or null when it is not. */
function pairLockEnd(times: readonly number[]): number | null {
  const last = times[times.length - 1];
  if (times.length < L.pairFailures || last === undefined) {
    return null;
  }
  const lock = Math.min(L.pairLockBaseMs * 2 ** (times.length - L.pairFailures), L.pairLockMaxMs);
  return last + lock;
}

/**
 * Checks the limits for (name, source) and, when the attempt may go on, counts it as a failure.
 * Run it inside a unit of work.
 */
export async function admitSignIn(
  tx: Pick<Repositories, 'signIns'>,
  name: string,
  source: string,
  now: number,
): Promise<ThrottleVerdict> {
  await tx.signIns.prune(now - KEEP_MS);
  const ends = [
    pairLockEnd(await tx.signIns.pairFailures(name, source)),
    windowEnd(await tx.signIns.sourceFailuresSince(source, now - L.sourceWindowMs), L.sourceFailures, L.sourceWindowMs),
    windowEnd(await tx.signIns.nameFailuresSince(name, now - L.nameWindowMs), L.nameFailures, L.nameWindowMs),
  ].filter((end): end is number => end !== null && end > now);
  if (ends.length > 0) {
    return { allowed: false, retryAfterMs: Math.max(...ends) - now };
  }
  await tx.signIns.addFailure(name, source, now);
  return { allowed: true };
}

/** `Retry-After` in whole seconds, at least one. */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
