import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pressKey, settle } from '../../../support/render';
import { mountReviewApp, typeInto, type MountedReview } from './mount-review';

/**
 * What a keystroke and a clip switch cost on the review screen, as commits of the app's React
 * tree and the DOM nodes they add or remove: counts, not times, so they hold on any machine.
 */
/**
 * Waits until React has committed nothing for 400 ms (at most 20 such rounds): a loaded machine
 * delays background work, so a fixed wait could split one switch's commits across two counts.
 */
async function untilQuiet(commits: readonly unknown[]): Promise<void> {
  for (let round = 0; round < 20; round += 1) {
    const before = commits.length;
    await act(() => new Promise((resolve) => setTimeout(resolve, 400)));
    if (commits.length === before) {
      return;
    }
  }
}

describe('review screen render counts', () => {
  let app: MountedReview | undefined;
  // The screen's clocks (the pace panel's refresh every 15 s, the inbox's "now", the idle watch)
  // tick on intervals: on a loaded machine a round outlasts one and adds a commit no keystroke
  // or switch caused. They stand still here; only timeouts, which the waits below use, run.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(() => {
    app?.cleanup();
    app = undefined;
    vi.useRealTimers();
  });

  const box = (): HTMLTextAreaElement => {
    const el = document.querySelector<HTMLTextAreaElement>('textarea.transcript');
    if (!el) {
      throw new Error('no transcript box');
    }
    return el;
  };

  it('commits once for a run of keystrokes: only the save status turning off', async () => {
    const commits: string[] = [];
    app = await mountReviewApp({ onCommit: (_id, phase) => commits.push(phase) });
    await app.openBatch();
    typeInto(box(), 'turn on light number 1x');
    await settle(app.store, (s) => s.review.saveStatus === 'saved');
    commits.length = 0;
    // The box is uncontrolled; the diff, the highlights and the box's size follow the store
    // outside React, so typing re-renders nothing once "Saved" is off.
    for (const text of ['turn on light number 1xy', 'turn on light number 1xyz', 'turn on light number 1xyzw']) {
      typeInto(box(), text);
    }
    expect(commits).toEqual(['update']);
  });

  it('commits twice per clip switch and replaces only the transcript box', async () => {
    const commits: string[] = [];
    app = await mountReviewApp({ onCommit: (_id, phase) => commits.push(phase) });
    await app.openBatch();
    // Everything opening the batch set going (prefetch, decoded peaks) lands before counting starts.
    await untilQuiet(commits);
    const perSwitch: number[] = [];
    const replacedIn = new Set<string>();
    for (let index = 1; index <= 3; index += 1) {
      const { audio, store } = app;
      act(() => audio.hearToEnd());
      commits.length = 0;
      const observer = new MutationObserver((records) => {
        for (const r of records) {
          if (r.addedNodes.length + r.removedNodes.length > 0 && r.target instanceof Element) {
            replacedIn.add(r.target.className);
          }
        }
      });
      observer.observe(document.body, { subtree: true, childList: true });
      pressKey(box(), { code: 'Enter', ctrlKey: true });
      await settle(store, (s) => s.review.index === index);
      // The submit stored in the background and the next clips' prefetch land here too.
      await untilQuiet(commits);
      observer.disconnect();
      perSwitch.push(commits.length);
    }
    // Two commits per switch, as measured when this was written: a third means something now
    // re-renders on every clip.
    expect(perSwitch).toEqual([2, 2, 2]);
    // The box is remounted per clip (so its undo history is the clip's own); no list, diff or
    // panel is rebuilt: their text changes in place.
    expect([...replacedIn]).toEqual(['editor']);
  });

  it("sizes a clip's box after its paint, and leaves a box its text fits alone", async () => {
    const commits: string[] = [];
    app = await mountReviewApp({ onCommit: (_id, phase) => commits.push(phase) });
    await app.openBatch();
    await untilQuiet(commits);
    // Every size read on the box is a forced layout in a browser: counted per switch, whoever reads.
    let reads = 0;
    type SizeRead = 'scrollHeight' | 'clientHeight' | 'offsetHeight' | 'scrollTop';
    const count = (proto: object, name: SizeRead): void => {
      const own = Object.getOwnPropertyDescriptor(proto, name);
      vi.spyOn(proto as Record<SizeRead, number>, name, 'get').mockImplementation(function (this: Element) {
        if (this instanceof HTMLTextAreaElement) {
          reads += 1;
        }
        return (own?.get?.call(this) as number | undefined) ?? 0;
      });
    };
    count(Element.prototype, 'scrollHeight');
    count(Element.prototype, 'clientHeight');
    count(Element.prototype, 'scrollTop');
    count(HTMLElement.prototype, 'offsetHeight');
    const perSwitch: number[] = [];
    for (let index = 1; index <= 3; index += 1) {
      const { audio, store } = app;
      act(() => audio.hearToEnd());
      reads = 0;
      pressKey(box(), { code: 'Enter', ctrlKey: true });
      await settle(store, (s) => s.review.index === index);
      await untilQuiet(commits);
      perSwitch.push(reads);
      // The short test transcripts fit the box as CSS first sizes it: no inline height is set.
      expect(box().style.height).toBe('');
    }
    // Two reads per clip, once it is painted (is its text taller than the box?), and none in
    // the submit's own handler or render.
    expect(perSwitch).toEqual([2, 2, 2]);
  });
});
