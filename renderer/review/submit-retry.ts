/**
 * A submit the disk refused for a cause that can pass (the disk full until space is freed, an
 * I/O error) is tried again on its own, with growing waits, while it stays on screen as not
 * stored. Only the same request is retried, and only while the reviewer leaves that clip's work
 * as it was: once they edit it, move away or submit it themselves, the retries stop.
 */
import type { Annotation } from '../../shared/domain/annotation';
import type { RequestOf } from '../../shared/ipc/contract';
import type { AppError, Result } from '../../shared/result';
import type { ReviewSlice } from '../store/slices/review.slice';
import { bodyOf } from './opened-work';

type SubmitRequest = RequestOf<'annotations:submit'>;

/** Causes a later try can get past; a read-only folder or a damaged file needs someone first. */
const TRANSIENT: ReadonlySet<string> = new Set(['STORAGE_FULL', 'STORAGE_IO']);

/** Waits before each automatic try: doubling from 2 s, then every 60 s for as long as it fails. */
export const RETRY_DELAYS_MS: readonly number[] = [2_000, 4_000, 8_000, 16_000, 32_000, 60_000];

/** A submit the disk refused was not stored at all: it is said so, never "kept". */
export const submitStage = (error: AppError): 'submit' | 'notStored' =>
  error.code.startsWith('STORAGE_') ? 'notStored' : 'submit';

/** Whether a refused submit is worth trying again without the reviewer. */
export const isTransientStorageError = (error: AppError): boolean => TRANSIENT.has(error.code);

/** The timers the retries wait on; tests pass their own, so nothing waits in real time. */
export type RetryTimers = {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export const realTimers: RetryTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

/**
 * One pending retry at a time. `attempt` tries once more and says whether to keep going (a
 * transient failure again) or stop (stored, refused for good, or no longer wanted).
 */
export function createSubmitRetry(timers: RetryTimers) {
  let handle: unknown;
  let tries = 0;
  let pending = false;

  const cancel = (): void => {
    if (pending) {
      timers.clearTimeout(handle);
    }
    pending = false;
    tries = 0;
  };

  const schedule = (attempt: () => Promise<'again' | 'done'>): void => {
    if (pending) {
      timers.clearTimeout(handle);
    }
    const delay = RETRY_DELAYS_MS[Math.min(tries, RETRY_DELAYS_MS.length - 1)] ?? 60_000;
    tries += 1;
    pending = true;
    handle = timers.setTimeout(() => {
      pending = false;
      void attempt().then((next) => {
        if (next === 'again') {
          schedule(attempt);
        } else {
          tries = 0;
        }
      });
    }, delay);
  };

  return {
    schedule,
    cancel,
    /** Whether a retry is waiting (tests, the status line). */
    pending: (): boolean => pending,
  };
}

export type SubmitRetry = ReturnType<typeof createSubmitRetry>;

export type RefusedSubmitRetryDeps = {
  /** Real timers when absent. */
  readonly timers?: RetryTimers | undefined;
  readonly review: () => ReviewSlice['review'];
  /** Sends the submit again, after whatever was issued before it. */
  readonly submit: (request: SubmitRequest) => Promise<Result<Annotation>>;
};

/**
 * The review screen's retries: `retryLater` takes a refused submit; a cause that can pass is
 * tried again while that clip stays open with the same work, and marked submitted once stored.
 */
export function createRefusedSubmitRetry(d: RefusedSubmitRetryDeps) {
  const retry = createSubmitRetry(d.timers ?? realTimers);
  /** The clip of `request` is open with exactly the work that was refused. */
  const unchanged = (request: SubmitRequest): boolean => {
    const s = d.review();
    return (
      s.batchId === request.batchId &&
      s.clip?.id === request.clipId &&
      s.basedOnRevision === request.basedOnRevision &&
      s.disposition === request.disposition &&
      JSON.stringify(bodyOf(s.body)) === JSON.stringify(request.body)
    );
  };
  const attempt = async (request: SubmitRequest): Promise<'again' | 'done'> => {
    if (!unchanged(request)) {
      return 'done';
    }
    const result = await d.submit(request);
    const open = unchanged(request);
    if (result.ok) {
      d.review().markSubmitted({
        clipId: request.clipId,
        revision: result.value.revision,
        disposition: result.value.disposition,
      });
      if (open) {
        d.review().revised(result.value.revision);
        d.review().failed(null, 'submit');
      }
      return 'done';
    }
    if (open) {
      d.review().failed(result.error, submitStage(result.error));
    }
    return open && isTransientStorageError(result.error) ? 'again' : 'done';
  };
  return {
    retryLater(request: SubmitRequest, error: AppError): void {
      if (isTransientStorageError(error)) {
        retry.schedule(() => attempt(request));
      }
    },
    /** The reviewer submits or leaves: no automatic try of an earlier refusal is wanted any more. */
    cancel: retry.cancel,
  };
}

export type RefusedSubmitRetry = ReturnType<typeof createRefusedSubmitRetry>;
