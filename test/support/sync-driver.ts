/**
 * Drives the real sync sender in tests without waiting in real time: timers record every delay
 * the sender asks for and fire failure retries at once, and `settled` awaits the sender's own
 * status events rather than sleeping.
 */
import type { Services } from '../../main/services';
import type { SyncTimers } from '../../main/services/sync.service';
import type { SyncStatus } from '../../shared/domain/sync';

/** Long enough that a healthy poll never fires during a test. */
export const TEST_POLL_MS = 3_600_000;

export type RecordingTimers = SyncTimers & { readonly delays: readonly number[] };

/** Fires every wait shorter than the poll interval on the next turn of the event loop; records all. */
export function recordingTimers(): RecordingTimers {
  const delays: number[] = [];
  return {
    delays,
    setTimeout(callback, ms) {
      delays.push(ms);
      const handle = { cancelled: false };
      if (ms < TEST_POLL_MS) {
        setImmediate(() => {
          if (!handle.cancelled) {
            callback();
          }
        });
      }
      return handle;
    },
    clearTimeout(handle) {
      (handle as { cancelled: boolean }).cancelled = true;
    },
  };
}

/**
 * Resolves with the first status (pushed by the sender, or current) that `done` accepts; on
 * `signInRequired` calls `onSignIn` first, as a reviewer asked to sign in again would. Rejects
 * after `limitMs` so a broken sender fails the test instead of hanging it.
 */
export function settled(
  services: Services,
  done: (s: SyncStatus) => boolean,
  o: { readonly onSignIn?: () => Promise<unknown>; readonly limitMs?: number } = {},
): Promise<SyncStatus> {
  return new Promise((resolve, reject) => {
    let signingIn = false;
    const limit = setTimeout(() => {
      stop();
      reject(new Error(`The sender did not settle: ${JSON.stringify(services.sync.status())}`));
    }, o.limitMs ?? 20_000);
    const check = (s: SyncStatus): void => {
      if (done(s)) {
        clearTimeout(limit);
        stop();
        resolve(s);
      } else if (s.connection === 'signInRequired' && o.onSignIn && !signingIn) {
        signingIn = true;
        void o.onSignIn().finally(() => {
          signingIn = false;
        });
      }
    };
    const stop = services.events.subscribe((event, payload) => {
      if (event === 'sync:changed') {
        check(payload as SyncStatus);
      }
    });
    check(services.sync.status());
  });
}

/** Nothing pending, nothing waiting, and the service reachable. */
export const allDelivered = (s: SyncStatus): boolean =>
  s.pending === 0 && s.connection === 'online' && s.nextAttemptAt === null;

/** Lets the sender run between a scripted reviewer's actions (a turn of the event loop, not a sleep). */
export const yieldToSender = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
