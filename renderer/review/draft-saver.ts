/**
 * Saves drafts as the reviewer types: 250 ms after the last keystroke, so a draft is stored
 * within 300 ms of it. Saves run one at a time in order, so an older draft can never land
 * after a newer one, and "saved" is reported only for the newest edit, after main confirmed it.
 */
import type { AnnotationBody, Disposition } from '../../shared/domain/annotation';
import type { ClipRef } from '../../shared/ipc/contract';
import type { AppError, Result } from '../../shared/result';

export const DRAFT_DEBOUNCE_MS = 250;

export type DraftJob = {
  readonly ref: ClipRef;
  readonly basedOnRevision: number;
  readonly body: AnnotationBody;
  readonly disposition: Disposition | null;
};

export type DraftReport = (job: DraftJob, status: 'saving' | 'saved' | 'error', error?: AppError) => void;

export type DraftSaver = {
  /** Saves this job after the debounce, replacing any job still waiting. */
  schedule(job: DraftJob): void;
  /** Saves the waiting job now, if any. */
  flush(): void;
  /** Drops the waiting job (a submit supersedes it). */
  cancel(): void;
  /** Resolves once every save issued so far has finished. */
  settled(): Promise<void>;
};

export function createDraftSaver(
  save: (job: DraftJob) => Promise<Result<unknown>>,
  report: DraftReport,
  delayMs = DRAFT_DEBOUNCE_MS,
): DraftSaver {
  let waiting: DraftJob | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let chain: Promise<void> = Promise.resolve();
  let issued = 0;

  const stopTimer = (): void => {
    if (timer !== null) {
      clearTimeout(timer);
      timer = null;
    }
  };

  const flush = (): void => {
    stopTimer();
    const job = waiting;
    if (!job) {
      return;
    }
    waiting = null;
    const mine = (issued += 1);
    report(job, 'saving');
    chain = chain
      .then(() => save(job))
      .then((result) => {
        if (!result.ok) {
          report(job, 'error', result.error);
        } else if (mine === issued && waiting === null) {
          report(job, 'saved');
        }
      });
  };

  return {
    schedule(job) {
      waiting = job;
      stopTimer();
      timer = setTimeout(flush, delayMs);
    },
    flush,
    cancel() {
      stopTimer();
      waiting = null;
    },
    settled: () => chain,
  };
}
