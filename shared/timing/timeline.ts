/**
 * Replays recorded events to measure time. Durations come only from one epoch's monotonic clock
 * (a renderer run); wall times are used only to order epochs and to see gaps between them.
 *
 * The state is whether a clip is on screen (a visit), whether the reviewer is idle, and whether
 * audio is playing. Time between two events belongs to the state the first left behind. A visit
 * still open when its epoch ends (a crash, a reload) ends when that epoch was last heard from.
 */
import type { StoredEventKind } from '../domain/timing';

/** The fields of a stored event the replay reads. */
export type TimelineEvent = {
  readonly id: number;
  readonly epoch: string;
  readonly kind: StoredEventKind;
  readonly t: number;
  readonly at: number;
};

/** When an epoch was last heard from: its monotonic time and the wall time then. */
export type EpochEnd = { readonly mono: number; readonly at: number };

/** What the replay tracks between events. */
export type TimelineState = {
  open: boolean;
  idle: boolean;
  playing: boolean;
};

/** One stretch of time in one state: `from` is the id of the event that began it. */
export type Stretch = {
  readonly from: number;
  readonly ms: number;
  readonly state: Readonly<TimelineState>;
  readonly gap: boolean;
};

/** How {@link replayTimeline} reports what it walks. */
export type ReplayOptions = {
  readonly epochEnd: (epoch: string) => EpochEnd | undefined;
  /** Called for every stretch, in order. */
  readonly stretch: (s: Stretch) => void;
  /** Called after each event is applied. */
  readonly event?: (e: TimelineEvent) => void;
  /** The state before the first event (a shift replayed from the middle). */
  readonly initial?: Partial<TimelineState>;
  /** Also measure from the last event to where its epoch was last heard from. */
  readonly toEpochEnd?: boolean;
};

function apply(state: TimelineState, kind: StoredEventKind): void {
  switch (kind) {
    case 'shown':
      state.open = true;
      state.idle = false;
      state.playing = false;
      return;
    case 'leave':
      state.open = false;
      state.idle = false;
      state.playing = false;
      return;
    case 'play':
      state.playing = true;
      return;
    case 'pause':
      state.playing = false;
      return;
    case 'idle':
      state.idle = true;
      return;
    case 'active':
      state.idle = false;
      return;
    default:
      return;
  }
}

/** Walks `events` (in id order) and reports every stretch of time between them. */
export function replayTimeline(events: readonly TimelineEvent[], o: ReplayOptions): TimelineState {
  const state: TimelineState = { open: false, idle: false, playing: false, ...o.initial };
  let last: TimelineEvent | undefined;
  const closeEpoch = (prev: TimelineEvent, nextAt: number | undefined): void => {
    const end = o.epochEnd(prev.epoch);
    if (end && end.mono > prev.t) {
      o.stretch({ from: prev.id, ms: end.mono - prev.t, state: { ...state }, gap: false });
    }
    if (nextAt === undefined) {
      return;
    }
    // Between epochs nothing was recorded: neither work nor listening.
    state.open = false;
    state.idle = false;
    state.playing = false;
    const endAt = end ? Math.max(end.at, prev.at) : prev.at;
    if (nextAt > endAt) {
      o.stretch({ from: prev.id, ms: nextAt - endAt, state: { ...state }, gap: true });
    }
  };
  for (const e of events) {
    if (last && last.epoch !== e.epoch) {
      closeEpoch(last, e.at);
    } else if (last && e.t > last.t) {
      o.stretch({ from: last.id, ms: e.t - last.t, state: { ...state }, gap: false });
    }
    apply(state, e.kind);
    o.event?.(e);
    last = e;
  }
  if (last && o.toEpochEnd) {
    closeEpoch(last, undefined);
  }
  return state;
}
