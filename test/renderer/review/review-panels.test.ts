import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import { err } from '../../../shared/result';
import { createAppCommands } from '../../../renderer/commands';
import type { CommandRegistry } from '../../../renderer/hotkeys/registry';
import { createReviewFlow, type ReviewFlow } from '../../../renderer/review/review-flow';
import { createBreaks } from '../../../renderer/timing/break-flow';
import { trimRange } from '../../../renderer/review/span-tags';
import { createAppStore, type AppStore } from '../../../renderer/store';
import { createInProcessApi, type InProcessApi } from '../../support/in-process-api';
import { queryDb } from '../../support/services';
import { createFakeAudio, type FakeAudio } from '../audio/fake-audio';
import { importReviewBatch, REVIEW_BATCH } from './review-fixture';

const chord = (code: string): KeyboardEvent => new KeyboardEvent('keydown', { code, ctrlKey: true, shiftKey: true });
const typing = { typing: true } as const;

describe('review panels', () => {
  let main: InProcessApi;
  let store: AppStore;
  let audio: FakeAudio;
  let flow: ReviewFlow;
  let registry: CommandRegistry;
  let detach: () => void;
  /** What happened, in order: audio pauses and escalation calls. */
  let events: string[];
  let failEscalation: boolean;
  const review = () => store.getState().review;

  const start = (): void => {
    events = [];
    const api: ReviewerApi = {
      ...main.api,
      escalations: {
        create: (r) => {
          events.push(`create:${audio.playing ? 'playing' : 'paused'}`);
          return failEscalation ? Promise.resolve(err('UNAVAILABLE', 'disk full')) : main.api.escalations.create(r);
        },
      },
    };
    store = createAppStore(api);
    audio = createFakeAudio((r) => api.clips.open(r));
    const pause = audio.pause.bind(audio);
    audio.pause = () => {
      events.push('pause');
      pause();
    };
    flow = createReviewFlow({ api, store, audio, breaks: createBreaks({ store, audio }), draftDelayMs: 0 });
    detach = flow.attach();
    registry = createAppCommands(store, false, flow);
  };
  const stop = async (): Promise<void> => {
    flow.clips.close();
    await flow.clips.draftsSettled();
    detach();
  };

  beforeEach(async () => {
    failEscalation = false;
    main = createInProcessApi();
    importReviewBatch(main);
    start();
    await flow.clips.openBatch(REVIEW_BATCH);
  });

  afterEach(async () => {
    await stop();
    main.cleanup();
  });

  describe('escalation', () => {
    it('stops the audio at once on the chord, even while typing, before anything is stored', async () => {
      expect(audio.playing).toBe(true);

      expect(registry.handle(chord('KeyE'), typing)).toBe(true);

      expect(audio.playing).toBe(false);
      expect(review().panel).toBe('escalation');
      expect(events).toEqual(['pause']);

      const saved = await flow.panels.saveEscalation('self_harm', 'caller sounded at risk');

      expect(saved.ok).toBe(true);
      expect(events.indexOf('pause')).toBeLessThan(events.findIndex((e) => e.startsWith('create')));
      expect(events).toContain('create:paused');
      expect(review().panel).toBe('escalated');
      // Stored sealed: main opens it; the database shows neither the category nor which clip it is.
      const rows = queryDb<{ id: string; clip_id: string | null; clip_ref: string | null; category: string | null }>(
        main.dataDir,
        'SELECT id, clip_id, clip_ref, category FROM escalations',
      );
      expect(rows.map((r) => ({ clip_id: r.clip_id, category: r.category }))).toEqual([
        { clip_id: null, category: null },
      ]);
      expect(rows[0]?.clip_ref).toMatch(/.{16,}/);
      expect(rows[0]?.clip_ref).not.toContain('c-AAAAAAAAAAAAAAA1');
      const opened = main.services.annotations.escalationById(rows[0]?.id ?? '');
      expect([opened?.clipId, opened?.category]).toEqual(['c-AAAAAAAAAAAAAAA1', 'self_harm']);
    });

    it('turns the review keys off while the dialog is open, so Ctrl+Enter and Escape belong to it', () => {
      flow.panels.escalate();

      expect(registry.handle(new KeyboardEvent('keydown', { code: 'Enter', ctrlKey: true }), typing)).toBe(false);
      expect(registry.handle(new KeyboardEvent('keydown', { code: 'Escape' }), typing)).toBe(false);
      expect(registry.handle(new KeyboardEvent('keydown', { code: 'KeyK', ctrlKey: true }), typing)).toBe(false);
      expect(review().batchId).toBe(REVIEW_BATCH);
    });

    it('keeps the dialog open when the escalation cannot be stored', async () => {
      failEscalation = true;
      flow.panels.escalate();

      const saved = await flow.panels.saveEscalation('other', 'note');

      expect(saved).toMatchObject({ ok: false, error: { message: 'disk full' } });
      expect(review().panel).toBe('escalation');
    });

    it('takes a break with the audio stopped, and resumes without playing', async () => {
      flow.panels.escalate();
      await flow.panels.saveEscalation('crime_or_abuse', '');

      flow.breaks.take();
      expect(review().panel).toBe('break');
      expect(registry.handle(new KeyboardEvent('keydown', { code: 'KeyK', ctrlKey: true }), typing)).toBe(false);
      expect(audio.playing).toBe(false);

      flow.breaks.resume();
      expect(review().panel).toBeNull();
      expect(audio.playing).toBe(false);
    });
  });

  describe('tagging', () => {
    let selection: { start: number; end: number };
    beforeEach(() => {
      selection = { start: 0, end: 0 };
      flow.tags.bindSelection(() => selection);
    });

    it('tags the selected words as critical data, trimmed of blanks, and submits them', async () => {
      // "turn on light number 1": select " light " with its blanks.
      selection = { start: 7, end: 14 };

      expect(registry.handle(chord('KeyC'), typing)).toBe(true);
      expect(review()).toMatchObject({ panel: 'critical', tagRange: { start: 8, end: 13 } });
      flow.tags.tagCritical('address');

      expect(review().panel).toBeNull();
      expect(review().body.critical).toEqual([{ start: 8, end: 13, category: 'address' }]);
      await vi.waitFor(() =>
        expect(main.services.annotations.work(REVIEW_BATCH, 'c-AAAAAAAAAAAAAAA1').draft?.critical).toEqual([
          { start: 8, end: 13, category: 'address' },
        ]),
      );

      audio.hearToEnd();
      await flow.clips.submitAndNext();
      await flow.clips.draftsSettled();
      expect(main.services.annotations.history(REVIEW_BATCH, 'c-AAAAAAAAAAAAAAA1')[0]?.critical).toEqual([
        { start: 8, end: 13, category: 'address' },
      ]);
    });

    it('tags an entity with a knowledge-base id, and keeps it on its word as the text is edited', () => {
      selection = { start: 8, end: 13 };
      flow.tags.openTagMenu('entity');
      flow.tags.tagEntity('place', ' kb:42 ');

      flow.editor.edit('please turn on light number 1');

      expect(review().body.entities).toEqual([{ start: 15, end: 20, type: 'place', kbId: 'kb:42' }]);
      expect(review().body.transcript.slice(15, 20)).toBe('light');
    });

    it('says to select text first when nothing is selected', () => {
      registry.handle(chord('KeyN'), typing);

      expect(review()).toMatchObject({ panel: null, notice: 'noSelection' });
    });

    it('removes a tag', () => {
      selection = { start: 0, end: 4 };
      flow.tags.openTagMenu('critical');
      flow.tags.tagCritical('other');

      flow.tags.removeSpan('critical', 0);

      expect(review().body.critical).toEqual([]);
    });

    it('trims a selection to its words', () => {
      expect(trimRange('  ab  ', { start: 0, end: 6 })).toEqual({ start: 2, end: 4 });
      expect(trimRange('   ', { start: 0, end: 3 })).toEqual({ start: 3, end: 3 });
    });
  });

  describe('disposition in drafts', () => {
    it('saves a chosen disposition as a draft and restores it when the clip opens again', async () => {
      flow.editor.setDisposition('tv_media');
      await vi.waitFor(() =>
        expect(main.services.annotations.work(REVIEW_BATCH, 'c-AAAAAAAAAAAAAAA1').draft?.disposition).toBe('tv_media'),
      );

      await stop();
      start();
      await flow.clips.openBatch(REVIEW_BATCH);

      expect(review()).toMatchObject({ index: 0, disposition: 'tv_media' });
    });
  });
});
