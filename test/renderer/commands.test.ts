import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispositions } from '../../shared/domain/annotation';
import { bindingProblem } from '../../shared/settings/hotkey-binding';
import { createAppCommands } from '../../renderer/commands';
import { firesWhileTyping } from '../../renderer/hotkeys/binding';
import { DIRECT_TAG_CHORDS } from '../../renderer/review/insert-tag-commands';
import type { CommandRegistry } from '../../renderer/hotkeys/registry';
import { createI18n, uiLanguages } from '../../renderer/i18n';
import { createReviewFlow, type ReviewFlow } from '../../renderer/review/review-flow';
import { createBreaks } from '../../renderer/timing/break-flow';
import { createAppStore, type AppStore } from '../../renderer/store';
import { createInProcessApi, type InProcessApi } from '../support/in-process-api';
import { createFakeAudio, type FakeAudio } from './audio/fake-audio';
import { importReviewBatch, REVIEW_BATCH } from './review/review-fixture';

const key = (
  code: string,
  mods: Partial<Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>> = {},
): KeyboardEvent => new KeyboardEvent('keydown', { code, ...mods });
const idle = { typing: false } as const;
const typing = { typing: true } as const;
const ctrl = (code: string): KeyboardEvent => key(code, { ctrlKey: true });

describe('app commands', () => {
  let main: InProcessApi;
  let store: AppStore;
  let audio: FakeAudio;
  let flow: ReviewFlow;
  let registry: CommandRegistry;
  let detach: () => void;

  beforeEach(() => {
    main = createInProcessApi();
    store = createAppStore(main.api);
    audio = createFakeAudio((r) => main.api.clips.open(r));
    flow = createReviewFlow({ api: main.api, store, audio, breaks: createBreaks({ store, audio }) });
    detach = flow.attach();
    registry = createAppCommands(store, false, flow);
  });

  afterEach(async () => {
    flow.clips.close();
    await flow.clips.draftsSettled();
    detach();
    main.cleanup();
  });

  const openBatch = async (): Promise<void> => {
    importReviewBatch(main);
    await flow.clips.openBatch(REVIEW_BATCH);
  };

  it('gives every command a label in every language', async () => {
    const commands = registry.list();
    // The review's own: escalate, tag critical, tag entity, ask for a second listen.
    expect(commands.length).toBe(6 + 7 + 3 + 4 + dispositions.length + 1 + DIRECT_TAG_CHORDS);
    for (const language of uiLanguages) {
      const i18n = await createI18n(language);
      for (const c of commands) {
        expect(i18n.exists(c.labelKey, { fallbackLng: [] }), `${language}: ${c.labelKey}`).toBe(true);
      }
    }
  });

  it('binds every review command to a chord that works while typing, and no plain key', () => {
    const review = registry
      .list()
      .filter((c) => !c.id.startsWith('help.') && c.id !== 'app.dismiss' && c.id !== 'settings.open');
    for (const c of review) {
      expect(firesWhileTyping(c.binding), c.id).toBe(true);
      expect(c.binding.mod || c.binding.alt, c.id).toBe(true);
    }
  });

  it('keeps every default off the reserved chords a reviewer may not choose either, on each platform', () => {
    for (const c of registry.list()) {
      expect(bindingProblem(c.binding, false), c.id).toBeNull();
    }
    for (const c of createAppCommands(store, true, flow).list()) {
      expect(bindingProblem(c.binding, true), c.id).toBeNull();
    }
  });

  it('uses the documented keys', () => {
    const keys = Object.fromEntries(registry.list().map((c) => [c.id, c.binding]));
    expect(keys).toMatchObject({
      'player.toggle': { code: 'KeyK', mod: true },
      'player.back3': { code: 'KeyJ', mod: true },
      'player.forward3': { code: 'KeyL', mod: true },
      'player.back1': { code: 'KeyU', mod: true },
      'player.replay': { code: 'KeyI', mod: true },
      'player.slower': { code: 'Comma', mod: true },
      'player.faster': { code: 'Period', mod: true },
      'review.submit': { code: 'Enter', mod: true },
      'review.previous': { code: 'BracketLeft', mod: true },
      'review.next': { code: 'BracketRight', mod: true },
      'review.disposition.transcribed': { code: 'Digit1', alt: true },
      'review.disposition.other_language': { code: 'Digit6', alt: true },
      'review.escalate': { code: 'KeyE', mod: true, shift: true },
      'review.askSecondListen': { code: 'KeyH', mod: true, shift: true },
      'review.tagCritical': { code: 'KeyC', mod: true, shift: true },
      'review.tagEntity': { code: 'KeyN', mod: true, shift: true },
      'review.insertTag': { code: 'KeyT', mod: true, shift: true },
      'review.insertTag.1': { code: 'Digit1', mod: true },
      'review.insertTag.5': { code: 'Digit5', mod: true },
      'help.toggle': { code: 'F1' },
      'settings.open': { code: 'F2' },
      'app.dismiss': { code: 'Escape' },
      'app.back': { code: 'ArrowLeft', alt: true },
    });
    const mac = Object.fromEntries(
      createAppCommands(store, true, flow)
        .list()
        .map((c) => [c.id, c.binding]),
    );
    expect(mac['app.back']).toEqual({ code: 'ArrowLeft', mod: true, alt: true });
  });

  it('opens the settings with F2 while typing, stopping the audio, and closes them with F2 or Escape', async () => {
    await openBatch();
    expect(audio.playing).toBe(true);

    expect(registry.handle(key('F2'), typing)).toBe(true);
    expect(store.getState().ui.settingsOpen).toBe(true);
    expect(audio.playing).toBe(false);
    expect(registry.handle(key('F2'), idle)).toBe(true);
    expect(store.getState().ui.settingsOpen).toBe(false);

    registry.handle(key('F2'), idle);
    expect(registry.handle(key('Escape'), typing)).toBe(true);
    expect(store.getState().ui.settingsOpen).toBe(false);
    expect(store.getState().review.batchId).toBe(REVIEW_BATCH);
  });

  it('turns the review keys off while the settings cover the screen, but not the help', async () => {
    await openBatch();
    registry.handle(ctrl('KeyK'), typing);
    store.getState().ui.openSettings();

    expect(registry.handle(ctrl('KeyK'), typing)).toBe(false);
    expect(registry.handle(key('Digit2', { altKey: true }), typing)).toBe(false);
    expect(audio.playing).toBe(false);
    expect(store.getState().review.disposition).toBe('transcribed');
    expect(registry.handle(key('F1'), typing)).toBe(true);
    expect(store.getState().ui.helpOpen).toBe(true);
  });

  it('toggles the help with F1, even while typing', () => {
    expect(registry.handle(key('F1'), typing)).toBe(true);
    expect(store.getState().ui.helpOpen).toBe(true);

    expect(registry.handle(key('F1'), idle)).toBe(true);
    expect(store.getState().ui.helpOpen).toBe(false);
  });

  it('claims Escape only for something to dismiss, and never leaves the clip with it', async () => {
    expect(registry.handle(key('Escape'), idle)).toBe(false);
    await openBatch();
    expect(registry.handle(key('Escape'), typing)).toBe(false);
    store.getState().ui.toggleHelp();

    expect(registry.handle(key('Escape'), typing)).toBe(true);
    expect(store.getState().ui.helpOpen).toBe(false);
    expect(store.getState().review.batchId).toBe(REVIEW_BATCH);

    store.getState().review.setNotice('noSelection');
    expect(registry.handle(key('Escape'), typing)).toBe(true);
    expect(store.getState().review.notice).toBeNull();
    expect(registry.handle(key('Escape'), typing)).toBe(false);
    expect(store.getState().review.batchId).toBe(REVIEW_BATCH);
  });

  it('goes back with Alt+Left from the clip and from the reports, but not under the help', async () => {
    const back = key('ArrowLeft', { altKey: true });
    expect(registry.handle(back, idle)).toBe(false);
    await openBatch();
    store.getState().ui.toggleHelp();
    expect(registry.handle(back, typing)).toBe(false);
    store.getState().ui.closeHelp();

    expect(registry.handle(back, typing)).toBe(true);
    expect(store.getState().review.batchId).toBeNull();
  });

  it('keeps one overlay at a time: the settings close the help and the help the settings', () => {
    registry.handle(key('F1'), idle);
    registry.handle(key('F2'), idle);
    expect(store.getState().ui).toMatchObject({ helpOpen: false, settingsOpen: true });
    registry.handle(key('F1'), idle);
    expect(store.getState().ui).toMatchObject({ helpOpen: true, settingsOpen: false });
  });

  it('leaves the review keys to the page until a clip is open', () => {
    expect(registry.handle(ctrl('KeyK'), idle)).toBe(false);
    expect(registry.handle(ctrl('Enter'), idle)).toBe(false);
    expect(registry.handle(key('Digit1', { altKey: true }), idle)).toBe(false);
  });

  it('drives the player from the keyboard while the reviewer types', async () => {
    await openBatch();
    expect(audio.playing).toBe(true);

    expect(registry.handle(ctrl('KeyK'), typing)).toBe(true);
    expect(audio.playing).toBe(false);
    registry.handle(ctrl('KeyL'), typing);
    registry.handle(ctrl('KeyJ'), typing);
    registry.handle(ctrl('KeyU'), typing);
    registry.handle(ctrl('KeyI'), typing);
    registry.handle(ctrl('Period'), typing);
    registry.handle(ctrl('Period'), typing);
    registry.handle(ctrl('Comma'), typing);

    expect(audio.calls.filter((c) => c.startsWith('skip') || c === 'replay')).toEqual([
      'skip:3000',
      'skip:-3000',
      'skip:-1000',
      'replay',
    ]);
    expect(store.getState().player.rate).toBe(1.1);
    expect(audio.rate).toBe(1.1);
  });

  it('sets each disposition with Alt+1…6', async () => {
    await openBatch();
    dispositions.forEach((d, i) => {
      expect(registry.handle(key(`Digit${i + 1}`, { altKey: true }), typing)).toBe(true);
      expect(store.getState().review.disposition).toBe(d);
    });
  });

  it('opens the tag menu with Ctrl+Shift+T while typing, and only on an open clip with nothing over it', async () => {
    expect(registry.handle(key('KeyT', { ctrlKey: true, shiftKey: true }), typing)).toBe(false);
    await openBatch();
    // The flow opens the menu only with a transcript box to return to.
    flow.insertion.bindTranscript({
      read: () => ({ value: 'x', start: 1, end: 1, backward: false, scrollTop: 0 }),
      restore: () => undefined,
      replace: () => true,
    });

    expect(registry.handle(key('KeyT', { ctrlKey: true, shiftKey: true }), typing)).toBe(true);
    expect(store.getState().review.panel).toBe('insertTag');
    expect(registry.handle(key('KeyT', { ctrlKey: true, shiftKey: true }), idle)).toBe(false);
    expect(registry.handle(ctrl('Digit1'), idle)).toBe(false);
  });

  it('cannot submit by hotkey before the clip was heard in full', async () => {
    await openBatch();

    registry.handle(ctrl('Enter'), typing);
    await flow.clips.draftsSettled();

    expect(store.getState().review.notice).toBe('notHeard');
    expect(main.services.annotations.history(REVIEW_BATCH, 'c-AAAAAAAAAAAAAAA1')).toEqual([]);
  });

  it('uses Cmd rather than Ctrl on macOS', async () => {
    const mac = createAppCommands(store, true, flow);
    await openBatch();

    expect(mac.handle(ctrl('KeyK'), typing)).toBe(false);
    expect(mac.handle(key('KeyK', { metaKey: true }), typing)).toBe(true);
  });
});
