import { describe, expect, it } from 'vitest';
import type { ClipWork } from '../../../shared/domain/annotation';
import type { ClipRef } from '../../../shared/ipc/contract';
import { ok, type Result } from '../../../shared/result';
import { createWorkAhead } from '../../../renderer/review/work-ahead';

const ref = (clipId: string): ClipRef => ({ batchId: 'b-AAAAAAAAAAAAAAA1', clipId });
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

/** A fetch whose answers the test releases by hand; every answer is a distinct object. */
function manualFetch() {
  const asked: string[] = [];
  const answers = new Map<string, Result<ClipWork>>();
  const release = new Map<string, () => void>();
  const fetch = (r: ClipRef): Promise<Result<ClipWork>> => {
    asked.push(r.clipId);
    const answer = ok<ClipWork>({ latest: null, draft: null });
    answers.set(r.clipId, answer);
    return new Promise((resolve) => release.set(r.clipId, () => resolve(answer)));
  };
  return { asked, answers, fetch, answer: (clipId: string) => release.get(clipId)?.() };
}

describe('work fetched ahead', () => {
  it('fetches each clip kept once, and hands its work over only once it has arrived', async () => {
    const f = manualFetch();
    const ahead = createWorkAhead(f.fetch);
    ahead.keepOnly([ref('c-AAAAAAAAAAAAAAA2'), ref('c-AAAAAAAAAAAAAAA3')]);
    ahead.keepOnly([ref('c-AAAAAAAAAAAAAAA2'), ref('c-AAAAAAAAAAAAAAA3')]);
    expect(f.asked).toEqual(['c-AAAAAAAAAAAAAAA2', 'c-AAAAAAAAAAAAAAA3']);
    expect(ahead.peek(ref('c-AAAAAAAAAAAAAAA2'))).toBeNull();

    f.answer('c-AAAAAAAAAAAAAAA2');
    await tick();
    expect(ahead.peek(ref('c-AAAAAAAAAAAAAAA2'))).toBe(f.answers.get('c-AAAAAAAAAAAAAAA2'));
    expect(ahead.peek(ref('c-AAAAAAAAAAAAAAA3'))).toBeNull();
  });

  it("takes a clip's work once: a second take fetches again", async () => {
    const f = manualFetch();
    const ahead = createWorkAhead(f.fetch);
    ahead.keepOnly([ref('c-AAAAAAAAAAAAAAA2')]);
    const first = ahead.take(ref('c-AAAAAAAAAAAAAAA2'));
    f.answer('c-AAAAAAAAAAAAAAA2');
    expect(await first).toBe(f.answers.get('c-AAAAAAAAAAAAAAA2'));
    expect(ahead.peek(ref('c-AAAAAAAAAAAAAAA2'))).toBeNull();

    void ahead.take(ref('c-AAAAAAAAAAAAAAA2'));
    expect(f.asked).toEqual(['c-AAAAAAAAAAAAAAA2', 'c-AAAAAAAAAAAAAAA2']);
  });

  it('drops clips no longer ahead, even when their answer comes later', async () => {
    const f = manualFetch();
    const ahead = createWorkAhead(f.fetch);
    ahead.keepOnly([ref('c-AAAAAAAAAAAAAAA2'), ref('c-AAAAAAAAAAAAAAA3')]);
    ahead.keepOnly([ref('c-AAAAAAAAAAAAAAA3'), ref('c-AAAAAAAAAAAAAAA4')]);
    expect(f.asked).toEqual(['c-AAAAAAAAAAAAAAA2', 'c-AAAAAAAAAAAAAAA3', 'c-AAAAAAAAAAAAAAA4']);
    f.answer('c-AAAAAAAAAAAAAAA2');
    f.answer('c-AAAAAAAAAAAAAAA3');
    await tick();
    expect(ahead.peek(ref('c-AAAAAAAAAAAAAAA2'))).toBeNull();
    expect(ahead.peek(ref('c-AAAAAAAAAAAAAAA3'))).toBe(f.answers.get('c-AAAAAAAAAAAAAAA3'));

    ahead.forget('c-AAAAAAAAAAAAAAA3');
    expect(ahead.peek(ref('c-AAAAAAAAAAAAAAA3'))).toBeNull();
    ahead.clear();
    f.answer('c-AAAAAAAAAAAAAAA4');
    await tick();
    expect(ahead.peek(ref('c-AAAAAAAAAAAAAAA4'))).toBeNull();
  });
});
