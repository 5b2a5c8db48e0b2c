import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultInsertTags } from '../../../../shared/settings/settings';
import { click, pressKey, settle } from '../../../support/render';
import { REVIEW_BATCH } from '../../review/review-fixture';
import { mountReviewApp, typeInto, type MountedReview } from './mount-review';

/** The first clip's text, as the box is prefilled with it. */
const ASR = 'turn on light number 1';

describe('inserting a tag while typing', () => {
  let app: MountedReview | undefined;

  afterEach(() => {
    app?.cleanup();
    app = undefined;
  });

  const box = (): HTMLTextAreaElement => {
    const el = document.querySelector<HTMLTextAreaElement>('textarea#transcript');
    if (!el) {
      throw new Error('no transcript box');
    }
    return el;
  };
  const menu = (): HTMLElement | null => document.querySelector('[role="menu"]');
  const items = (): HTMLElement[] => [...document.querySelectorAll<HTMLElement>('[role="menuitem"]')];
  const focused = (): Element | null => document.activeElement;
  const caret = (): [number, number] => [box().selectionStart, box().selectionEnd];
  const open = async (): Promise<MountedReview> => {
    app = await mountReviewApp();
    await app.openBatch();
    expect(box().value).toBe(ASR);
    return app;
  };
  const select = (start: number, end = start): void => act(() => box().setSelectionRange(start, end));
  const openMenu = (): KeyboardEvent => pressKey(box(), { code: 'KeyT', key: 'T', ctrlKey: true, shiftKey: true });
  /** A key pressed in the menu; `key` is what an AZERTY layout reports, to show only `code` counts. */
  const inMenu = (code: string, key = code): KeyboardEvent => pressKey(focused() ?? document.body, { code, key });

  it('opens by chord from the box without typing into it, listing the configured tags in order, the first focused', async () => {
    await open();
    select(7);

    const e = openMenu();

    expect(e.defaultPrevented).toBe(true);
    expect(box().value).toBe(ASR);
    const m = menu();
    expect(m?.getAttribute('aria-labelledby')).toBe('insert-tag-title');
    expect(document.getElementById('insert-tag-title')?.textContent).toBe('Insert a tag');
    expect(items().map((i) => i.querySelector('bdi')?.textContent)).toEqual([...defaultInsertTags]);
    expect(items().map((i) => i.getAttribute('aria-keyshortcuts'))).toEqual(['1', '2', '3', '4', '5']);
    expect(items()[0]?.textContent).toContain('Ctrl+1');
    expect(focused()).toBe(items()[0]);
    // Under the editor, not a modal over the screen.
    expect(m?.closest('.editor')).not.toBeNull();
  });

  it('inserts by number key at the caret, spaced from the words, with the caret after it, and saves the draft', async () => {
    const { main, store } = await open();
    select(7);
    openMenu();

    inMenu('Digit2', 'é');

    const text = 'turn on [unintelligible] light number 1';
    expect(box().value).toBe(text);
    expect(menu()).toBeNull();
    expect(focused()).toBe(box());
    expect(caret()).toEqual([24, 24]);
    expect(store.getState().review.body.transcript).toBe(text);
    await settle(store, (s) => s.review.saveStatus === 'saved');
    expect(main.services.annotations.work(REVIEW_BATCH, 'c-AAAAAAAAAAAAAAA1').draft?.transcript).toBe(text);
  });

  it('replaces a selection with the tag chosen by arrows and Enter', async () => {
    const { store } = await open();
    select(8, 13);
    openMenu();

    inMenu('ArrowUp');
    expect(focused()).toBe(items()[4]);
    inMenu('ArrowDown');
    inMenu('ArrowDown');
    inMenu('ArrowDown');
    expect(focused()).toBe(items()[2]);
    inMenu('Enter');

    expect(box().value).toBe('turn on [tv] number 1');
    expect(caret()).toEqual([12, 12]);
    expect(store.getState().review.panel).toBeNull();
  });

  it('goes back to the caret exactly as it was on Escape or Tab, inserting nothing', async () => {
    const { store } = await open();
    act(() => box().setSelectionRange(5, 13, 'backward'));
    openMenu();
    expect(focused()).not.toBe(box());

    inMenu('Escape');

    expect(menu()).toBeNull();
    expect(focused()).toBe(box());
    expect([...caret(), box().selectionDirection]).toEqual([5, 13, 'backward']);
    expect(box().value).toBe(ASR);
    expect(store.getState().review.saveStatus).not.toBe('saving');

    select(3);
    openMenu();
    inMenu('Tab');
    expect(menu()).toBeNull();
    expect(caret()).toEqual([3, 3]);
  });

  it('keeps tagged spans on their words when a tag goes in before them', async () => {
    const { store } = await open();
    act(() => {
      store.getState().review.addEntity({ start: 0, end: 4, type: 'device' });
      store.getState().review.addCritical({ start: 14, end: 20, category: 'other' });
    });
    select(7);
    openMenu();

    inMenu('Digit1');

    const { body } = store.getState().review;
    expect(body.transcript).toBe('turn on [noise] light number 1');
    expect(body.entities).toEqual([{ start: 0, end: 4, type: 'device' }]);
    expect(body.critical).toEqual([{ start: 22, end: 28, category: 'other' }]);
    expect(body.transcript.slice(22, 28)).toBe('number');
  });

  it('inserts one of the first five tags straight from Ctrl+1…5 while typing, and no tag the list lacks', async () => {
    const { main, store } = await open();
    typeInto(box(), 'hello');
    select(5);

    const e = pressKey(box(), { code: 'Digit4', key: '4', ctrlKey: true });

    expect(e.defaultPrevented).toBe(true);
    expect(box().value).toBe('hello [music]');
    expect(caret()).toEqual([13, 13]);
    expect(menu()).toBeNull();

    act(() => void main.services.settings.update({ insertTags: ['[cough]', '[noise]'] }));
    await settle(store, (s) => s.settings.values.insertTags.length === 2);
    expect(pressKey(box(), { code: 'Digit3', key: '3', ctrlKey: true }).defaultPrevented).toBe(false);
    pressKey(box(), { code: 'Digit1', key: '1', ctrlKey: true });
    expect(box().value).toBe('hello [music] [cough]');
  });

  it('shows the list as the settings change it, even while open', async () => {
    const { main, store } = await open();
    openMenu();

    act(() => void main.services.settings.update({ insertTags: ['[ruido]', '[risa]'] }));
    await settle(store, (s) => s.settings.values.insertTags[0] === '[ruido]');

    expect(items().map((i) => i.querySelector('bdi')?.textContent)).toEqual(['[ruido]', '[risa]']);
    click(items()[1]);
    expect(box().value).toBe(`${ASR} [risa]`);
  });

  it('refuses a tag that would take the transcript past its limit, saying so and keeping the text', async () => {
    await open();
    // 9,993 characters: " [tv]" fits, " [unintelligible]" does not.
    const long = `${'a '.repeat(4_995)}end`;
    typeInto(box(), long);
    select(long.length);
    openMenu();

    inMenu('Digit2');

    expect(box().value.length).toBe(long.length);
    expect(document.querySelector('[role="alert"]')?.textContent).toBe(
      'The tag does not fit: a transcript holds at most 10,000 characters.',
    );
    expect(menu()).not.toBeNull();
    inMenu('Digit3');
    expect(box().value.endsWith('end [tv]')).toBe(true);
    expect(box().value.length).toBe(long.length + 5);
  });

  it('closes when a click puts the focus back in the text, leaving the caret there', async () => {
    const { store } = await open();
    openMenu();

    act(() => {
      box().focus();
      box().setSelectionRange(2, 2);
    });

    expect(store.getState().review.panel).toBeNull();
    expect(menu()).toBeNull();
    expect(caret()).toEqual([2, 2]);
  });

  it('turns the other review keys off while it is open', async () => {
    const { store } = await open();
    openMenu();

    expect(pressKey(focused() ?? document.body, { code: 'Digit2', key: '2', altKey: true }).defaultPrevented).toBe(
      false,
    );
    expect(store.getState().review.disposition).toBe('transcribed');
    expect(
      pressKey(focused() ?? document.body, { code: 'KeyT', key: 'T', ctrlKey: true, shiftKey: true }).defaultPrevented,
    ).toBe(false);
  });
});
