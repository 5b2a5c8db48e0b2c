/**
 * Plays the renderer's part for main-side timing tests: records events on the test clock's
 * monotonic time and sends them as `timing:record` batches would arrive.
 */
import type { Services } from '../../main/services';
import type { TimingEvent, TimingEventKind } from '../../shared/domain/timing';
import type { TestClock } from './services';

export type FakeRenderer = {
  /** Records an event now, for the clip (or none). */
  event(
    kind: TimingEventKind,
    fields?: Partial<Pick<TimingEvent, 'positionMs' | 'value' | 'label'>>,
    clip?: string | null,
  ): void;
  /** Sends what was recorded; returns how many main accepted. */
  flush(): number;
  /** A new page load: a new epoch, the monotonic clock counting from `startMono`. */
  reload(startMono?: number): void;
  readonly epoch: string;
};

export function fakeRenderer(
  services: () => Services,
  clock: TestClock,
  batchId: string,
  epoch = 'epoch-0001',
): FakeRenderer {
  let queue: TimingEvent[] = [];
  let seq = 0;
  let current = epoch;
  let offset = 0;
  const mono = (): number => clock.monotonic() - offset;
  return {
    get epoch() {
      return current;
    },
    event(kind, fields = {}, clip = 'c-AAAAAAAAAAAAAAA1') {
      queue.push({ seq: seq++, t: mono(), kind, batchId: clip === null ? null : batchId, clipId: clip, ...fields });
    },
    flush() {
      const events = queue;
      queue = [];
      return services().timing.record({ epoch: current, sentAt: mono(), events }).accepted;
    },
    reload(startMono = 0) {
      current = `${epoch}-r${seq}`;
      seq = 0;
      queue = [];
      offset = clock.monotonic() - startMono;
    },
  };
}
