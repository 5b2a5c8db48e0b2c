import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ok, err, type Result } from '../../../shared/result';
import { createDraftSaver, DRAFT_DEBOUNCE_MS, type DraftJob } from '../../../renderer/review/draft-saver';

const job = (transcript: string): DraftJob => ({
  ref: { batchId: 'b-AAAAAAAAAAAAAAA1', clipId: 'c-AAAAAAAAAAAAAAA1' },
  basedOnRevision: 0,
  body: { transcript, critical: [], entities: [] },
  disposition: null,
});

describe('draft saver', () => {
  let saved: string[];
  let reports: string[];
  let answer: () => Promise<Result<unknown>>;

  const make = () =>
    createDraftSaver(
      (j) => {
        saved.push(j.body.transcript);
        return answer();
      },
      (j, status, error) => reports.push(`${j.body.transcript}:${status}${error ? `:${error.code}` : ''}`),
    );

  beforeEach(() => {
    vi.useFakeTimers();
    saved = [];
    reports = [];
    answer = () => Promise.resolve(ok({ savedAt: 1 }));
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('saves 250 ms after the last edit, once, with the newest text', async () => {
    const saver = make();
    saver.schedule(job('a'));
    await vi.advanceTimersByTimeAsync(200);
    saver.schedule(job('ab'));
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS - 1);
    expect(saved).toEqual([]);

    await vi.advanceTimersByTimeAsync(1);

    expect(saved).toEqual(['ab']);
    expect(reports).toEqual(['ab:saving', 'ab:saved']);
  });

  it('says saved only after main answered', async () => {
    let resolve: (r: Result<unknown>) => void = () => undefined;
    answer = () => new Promise((r) => (resolve = r));
    const saver = make();
    saver.schedule(job('a'));
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS);
    expect(reports).toEqual(['a:saving']);

    resolve(ok({ savedAt: 1 }));
    await saver.settled();

    expect(reports).toEqual(['a:saving', 'a:saved']);
  });

  it('does not call an older save "saved" while a newer edit is waiting', async () => {
    let resolve: (r: Result<unknown>) => void = () => undefined;
    answer = () => new Promise((r) => (resolve = r));
    const saver = make();
    saver.schedule(job('a'));
    await vi.advanceTimersByTimeAsync(DRAFT_DEBOUNCE_MS);
    saver.schedule(job('ab'));

    resolve(ok({ savedAt: 1 }));
    await saver.settled();

    expect(reports).toEqual(['a:saving']);
  });

  it('runs saves one after another, in the order they were made', async () => {
    const order: string[] = [];
    let first: (r: Result<unknown>) => void = () => undefined;
    answer = () =>
      saved.length === 1
        ? new Promise((r) => {
            first = (v) => {
              order.push('first done');
              r(v);
            };
          })
        : (order.push('second sent'), Promise.resolve(ok(1)));
    const saver = make();
    saver.schedule(job('a'));
    saver.flush();
    saver.schedule(job('ab'));
    saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([]);

    first(ok(1));
    await saver.settled();

    expect(order).toEqual(['first done', 'second sent']);
    expect(reports).toEqual(['a:saving', 'ab:saving', 'ab:saved']);
  });

  it('reports a refused save as an error', async () => {
    answer = () => Promise.resolve(err('CONFLICT', 'newer revision'));
    const saver = make();
    saver.schedule(job('a'));
    saver.flush();
    await saver.settled();

    expect(reports).toEqual(['a:saving', 'a:error:CONFLICT']);
  });

  it('drops a waiting edit when cancelled, and flushes nothing then', async () => {
    const saver = make();
    saver.schedule(job('a'));
    saver.cancel();
    saver.flush();
    await vi.advanceTimersByTimeAsync(1_000);

    expect(saved).toEqual([]);
  });
});
