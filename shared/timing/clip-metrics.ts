/**
 * Derives one submit's numbers from a clip's recorded events: handle, active, idle and listen
 * time, playback and edit counts, and whether the clip had been heard in full. Pure.
 *
 * A clip can be submitted more than once (amendments). Each submit counts the time since the
 * previous one: the events after the previous submit's last counted event, up to this submit.
 */
import { alignWords } from '../wer/align';
import { normaliseWords } from '../wer/normalise';
import { replayTimeline, type EpochEnd, type TimelineEvent } from './timeline';

/** A stored timing event as clip metrics read it: the replay's fields and the event's value. */
export type ClipEvent = TimelineEvent & { readonly value: number | null };

/** What the events of one submit say. Whole milliseconds. */
export type ClipSpan = {
  /** The last event counted (this submit's own `submit` event when the renderer sent it). */
  readonly throughEventId: number;
  readonly handleMs: number;
  readonly activeMs: number;
  readonly idleMs: number;
  readonly listenMs: number;
  readonly plays: number;
  readonly replays: number;
  readonly seeks: number;
  readonly rateChanges: number;
  readonly edits: number;
  readonly firstEditMs: number | null;
  readonly heardInFull: boolean;
};

/** What measuring one submit needs. */
export type ClipSpanInput = {
  /** Every event of the clip, in id order. */
  readonly events: readonly ClipEvent[];
  /** The last event the previous submit counted; 0 for the first submit. */
  readonly afterId: number;
  readonly epochEnd: (epoch: string) => EpochEnd | undefined;
};

/** The event this submit counts through: its own `submit` event, else the latest one there is. */
function throughId(events: readonly ClipEvent[], afterId: number): number {
  const after = events.filter((e) => e.id > afterId);
  const submit = after.findLast((e) => e.kind === 'submit');
  return submit?.id ?? after.at(-1)?.id ?? afterId;
}

/** Measures one submit of a clip from its events (see the file's note on amendments). */
export function measureClip({ events, afterId, epochEnd }: ClipSpanInput): ClipSpan {
  const through = throughId(events, afterId);
  const span = events.filter((e) => e.id <= through);
  let handle = 0;
  let idle = 0;
  let listen = 0;
  let firstEdit: number | null = null;
  const counts = { play: 0, replay: 0, seek: 0, rate: 0, edit: 0 };
  replayTimeline(span, {
    epochEnd,
    stretch: (s) => {
      // A stretch belongs to the submit whose span it starts in; time off screen is not handling.
      if (s.from < afterId || s.gap || !s.state.open) {
        return;
      }
      handle += s.ms;
      if (s.state.idle) {
        idle += s.ms;
      }
      if (s.state.playing) {
        listen += s.ms;
      }
    },
    event: (e) => {
      if (e.id <= afterId) {
        return;
      }
      if (e.kind === 'play' || e.kind === 'replay' || e.kind === 'seek' || e.kind === 'rate') {
        counts[e.kind] += 1;
      } else if (e.kind === 'edit') {
        counts.edit += (e as ClipEvent).value ?? 1;
        firstEdit ??= handle - idle;
      }
    },
  });
  const handleMs = Math.round(handle);
  const idleMs = Math.min(handleMs, Math.round(idle));
  return {
    throughEventId: through,
    handleMs,
    activeMs: handleMs - idleMs,
    idleMs,
    listenMs: Math.round(listen),
    plays: counts.play,
    replays: counts.replay,
    seeks: counts.seek,
    rateChanges: counts.rate,
    edits: counts.edit,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- assigned in the callback above, which the compiler does not follow
    firstEditMs: firstEdit === null ? null : Math.round(firstEdit),
    heardInFull: span.some((e) => e.kind === 'heard'),
  };
}

/** Active time ÷ clip length; null for a clip of unknown length. */
export function realTimeFactor(activeMs: number, durationMs: number): number | null {
  return durationMs > 0 ? activeMs / durationMs : null;
}

/** Word counts of the ASR hypothesis against the submitted transcript (the reference). */
export function transcriptWer(
  transcript: string,
  hypothesis: string,
): { wer: number | null; wordErrors: number; referenceWords: number } {
  const counts = alignWords(normaliseWords(transcript), normaliseWords(hypothesis));
  return { wer: counts.wer, wordErrors: counts.errors, referenceWords: counts.refWords };
}
