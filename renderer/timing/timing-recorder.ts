/**
 * Records what happens to each clip on the renderer's monotonic clock (performance.now) and sends
 * it to main in batches: at least once a second, and at once when asked (submit, escalation,
 * blur). Main acknowledges a batch only once it is stored, so a crash loses at most the last
 * second; a batch that failed is sent again with the next one (main drops what it already holds).
 *
 * Idle has several causes at once (hidden, blurred, no input, locked, asleep, on a break): the
 * reviewer is idle while any holds, and one `idle` / `active` pair marks each idle stretch.
 */
import type { IdleReason, TimingBatch, TimingEvent, TimingEventKind } from '../../shared/domain/timing';
import type { ClipRef } from '../../shared/ipc/contract';
import type { Result } from '../../shared/result';

/** Events per batch; main refuses more (shared/ipc/timing-schemas.ts). */
export const MAX_BATCH = 500;
/** Unsent events kept while main cannot be reached; beyond this the oldest are dropped. */
export const MAX_QUEUE = 20_000;
/** How often events are sent, and main told the renderer is alive. */
export const FLUSH_EVERY_MS = 1_000;
/** A timer that fires this late means the machine slept or the page was frozen: that time was idle. */
export const GAP_MS = 5_000;

export type EventFields = Partial<Pick<TimingEvent, 'positionMs' | 'value' | 'label'>>;

export type RecorderOptions = {
  readonly send: (batch: TimingBatch) => Promise<Result<unknown>>;
  readonly now?: () => number;
  /** Names this run of the clock; a fresh random id by default. */
  readonly epoch?: string;
  /** Runs `tick` every `ms`; returns the stop. */
  readonly every?: (ms: number, tick: () => void) => () => void;
};

const browserEvery = (ms: number, tick: () => void): (() => void) => {
  const id = setInterval(tick, ms);
  return () => clearInterval(id);
};

export function createTimingRecorder(o: RecorderOptions) {
  const now = o.now ?? (() => performance.now());
  const epoch = o.epoch ?? crypto.randomUUID();
  let clip: ClipRef | null = null;
  let queue: TimingEvent[] = [];
  let seq = 0;
  let lastT = 0;
  let lastActivity = now();
  let lastTick = now();
  let sending: Promise<void> = Promise.resolve();
  const idle = new Set<IdleReason>();

  const push = (kind: TimingEventKind, fields: EventFields = {}, ref: ClipRef | null = clip, at = now()): void => {
    // Events are kept in clock order even when one is dated back (idle since the threshold passed).
    lastT = Math.max(lastT, at);
    queue.push({ seq, t: lastT, kind, batchId: ref?.batchId ?? null, clipId: ref?.clipId ?? null, ...fields });
    seq += 1;
    if (queue.length > MAX_QUEUE) {
      queue = queue.slice(queue.length - MAX_QUEUE);
    }
  };

  const sendNow = async (): Promise<void> => {
    do {
      const events = queue.slice(0, MAX_BATCH);
      if (events.length === 0 && clip === null) {
        return;
      }
      queue = queue.slice(events.length);
      const result = await o.send({ epoch, sentAt: Math.max(now(), lastT), events });
      if (!result.ok) {
        queue = [...events, ...queue];
        return;
      }
    } while (queue.length > 0);
  };

  const flush = (): Promise<void> => {
    sending = sending.then(sendNow, sendNow);
    return sending;
  };

  const setIdle = (reason: IdleReason, on: boolean, at = now()): void => {
    const was = idle.size > 0;
    if (on) {
      idle.add(reason);
    } else {
      idle.delete(reason);
    }
    if (!was && idle.size > 0) {
      push('idle', { label: reason }, clip, at);
    } else if (was && idle.size === 0) {
      push('active', {}, clip, at);
    }
  };

  const tick = (): void => {
    const t = now();
    if (t - lastTick > GAP_MS && idle.size === 0) {
      setIdle('suspend', true, lastTick);
      setIdle('suspend', false, t);
    }
    lastTick = t;
    void flush();
  };

  return {
    epoch,
    /** Records an event now, for the open clip (or `ref`). */
    record(kind: TimingEventKind, fields?: EventFields, ref?: ClipRef | null): void {
      push(kind, fields, ref === undefined ? clip : ref);
    },
    /** The transcript changed; changes in a row are counted in one event. */
    edit(): void {
      const last = queue.at(-1);
      if (last?.kind === 'edit' && last.clipId === clip?.clipId && last.batchId === clip.batchId) {
        queue[queue.length - 1] = { ...last, value: (last.value ?? 1) + 1 };
        return;
      }
      push('edit', { value: 1 });
    },
    /** The clip on screen changed: the old one leaves, the new one is shown. */
    setClip(ref: ClipRef | null): void {
      if (ref?.clipId === clip?.clipId && ref?.batchId === clip?.batchId) {
        return;
      }
      const reason = [...idle][0];
      if (clip) {
        if (reason) {
          push('active');
        }
        push('leave');
      }
      clip = ref;
      if (ref) {
        push('shown');
        if (reason) {
          push('idle', { label: reason });
        }
      }
    },
    clip: (): ClipRef | null => clip,
    setIdle,
    isIdle: (reason?: IdleReason): boolean => (reason ? idle.has(reason) : idle.size > 0),
    /** The reviewer did something (or audio stopped playing): the no-input wait starts again. */
    noteActivity(): void {
      lastActivity = now();
    },
    lastActivity: (): number => lastActivity,
    now,
    /** Sends everything recorded; resolves once main has answered. */
    flush,
    /** Sends once a second from now on; returns the stop. */
    start(): () => void {
      lastTick = now();
      return (o.every ?? browserEvery)(FLUSH_EVERY_MS, tick);
    },
  };
}

export type TimingRecorder = ReturnType<typeof createTimingRecorder>;
