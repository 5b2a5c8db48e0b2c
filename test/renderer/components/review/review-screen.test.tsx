import { act } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { click, pressKey, settle } from '../../../support/render';
import { mountReviewApp, typeInto, type MountedReview } from './mount-review';

describe('review screen', () => {
  let app: MountedReview | undefined;

  afterEach(() => {
    app?.cleanup();
    app = undefined;
  });

  const $ = (selector: string): HTMLElement | null => document.querySelector<HTMLElement>(selector);
  const box = (): HTMLTextAreaElement => {
    const el = document.querySelector<HTMLTextAreaElement>('textarea.transcript');
    if (!el) {
      throw new Error('no transcript box');
    }
    return el;
  };
  const text = (selector: string): string => $(selector)?.textContent ?? '';
  /** The save message showing, if any (the others stay in the page, hidden). */
  const saveMessage = (): string[] =>
    [...document.querySelectorAll('[data-testid="save-status"] > :not([hidden])')].map((e) => e.textContent);

  it('puts the focus on the batch, which opens at its first clip with the hypothesis in the box', async () => {
    app = await mountReviewApp();
    const batch = document.querySelector<HTMLButtonElement>('button.batch-open');
    expect(document.activeElement).toBe(batch);

    await app.openBatch();

    expect(text('[data-testid="clip-id"]')).toBe('c-AAAAAAAAAAAAAAA1');
    expect(text('.clip-header')).toContain('0.3 s');
    expect(text('.clip-header')).toContain('en-US');
    expect(text('[data-testid="progress"]')).toBe('Clip 1 of 5 · 0 reviewed');
    expect(box().value).toBe('turn on light number 1');
    expect(box().getAttribute('dir')).toBe('auto');
    expect(document.activeElement).toBe(box());
    expect(app.audio.playing).toBe(true);
  });

  it('keeps the box uncontrolled: typing is never written back, and "Saved" shows once the draft is stored', async () => {
    app = await mountReviewApp();
    await app.openBatch();
    const el = box();
    let writes = 0;
    const own =
      Object.getOwnPropertyDescriptor(el, 'value') ??
      Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value');
    Object.defineProperty(el, 'value', {
      configurable: true,
      get: () => own?.get?.call(el) as string,
      set: (v: string) => {
        writes += 1;
        own?.set?.call(el, v);
      },
    });

    typeInto(el, 'turn on the light number 1');
    expect(saveMessage()).toEqual([]);
    await settle(app.store, (s) => s.review.saveStatus === 'saved');

    expect(saveMessage()).toEqual(['Saved']);
    expect(box()).toBe(el);
    expect(writes).toBe(0);
    expect(app.main.services.annotations.work('b-AAAAAAAAAAREV1EW', 'c-AAAAAAAAAAAAAAA1').draft?.transcript).toBe(
      'turn on the light number 1',
    );
  });

  it('shows the word-level diff against the hypothesis with the clip WER', async () => {
    app = await mountReviewApp();
    await app.openBatch();
    expect(text('[data-testid="wer"]')).toBe('Word error rate 0% (errors: 0, words in the transcript: 5)');

    typeInto(box(), 'turn on the light number one');
    await settle(app.store, (s) => s.review.saveStatus === 'saved');

    expect([...document.querySelectorAll('[data-testid="diff"] ins')].map((e) => e.textContent)).toEqual([
      'the',
      'one',
    ]);
    expect([...document.querySelectorAll('[data-testid="diff"] del')].map((e) => e.textContent)).toEqual(['1']);
    expect(text('[data-testid="wer"]')).toBe('Word error rate 33.3% (errors: 2, words in the transcript: 6)');
  });

  it('renders a hypothesis holding markup as text', async () => {
    const asrText = 'play <img src=x onerror="window.pwned=1"><script>window.pwned=2</script>';
    app = await mountReviewApp({ clips: [{ id: 'c-AAAAAAAAAAAAAAAX', asrText }] });
    await app.openBatch();

    expect(box().value).toBe(asrText);
    expect(document.querySelector('img, script')).toBeNull();
    expect('pwned' in window).toBe(false);
  });

  it('refuses to submit before the clip was heard in full and says why, then submits by Ctrl+Enter', async () => {
    app = await mountReviewApp();
    await app.openBatch();
    expect(text('[data-testid="heard"]')).toBe('Not heard in full yet');

    pressKey(box(), { code: 'Enter', ctrlKey: true });
    await settle(app.store, (s) => s.review.notice === 'notHeard');
    expect($('[data-testid="notice"]')?.getAttribute('role')).toBe('alert');
    expect(text('[data-testid="notice"]')).toMatch(/^Listen to the whole clip before submitting/);

    const { audio } = app;
    act(() => audio.hearToEnd());
    expect(text('[data-testid="heard"]')).toBe('Heard in full');
    expect($('[data-testid="notice"]')).toBeNull();

    pressKey(box(), { code: 'Enter', ctrlKey: true });
    await settle(app.store, (s) => s.review.index === 1);

    expect(text('[data-testid="clip-id"]')).toBe('c-AAAAAAAAAAAAAAA2');
    expect(box().value).toBe('turn on light number 2');
    expect(document.activeElement).toBe(box());
    expect(text('[data-testid="progress"]')).toBe('Clip 2 of 5 · 1 reviewed');
  });

  it('marks the chosen disposition pressed, by click or Alt+digit', async () => {
    app = await mountReviewApp();
    await app.openBatch();
    const pressed = (): string[] =>
      [...document.querySelectorAll('[aria-pressed="true"]')].map((b) => b.getAttribute('data-disposition') ?? '');
    expect(pressed()).toEqual(['transcribed']);

    click($('[data-disposition="noise_only"]'));
    expect(pressed()).toEqual(['noise_only']);

    pressKey(box(), { code: 'Digit3', altKey: true });
    expect(pressed()).toEqual(['tv_media']);
  });

  it('has named player buttons, no media element, no context menu and nothing to drag', async () => {
    app = await mountReviewApp();
    await app.openBatch();
    const player = $('[role="group"].player');
    const names = [...(player?.querySelectorAll('button') ?? [])].map((b) => b.getAttribute('aria-label'));

    expect(names).toEqual([
      'Replay from start',
      'Back 3 seconds',
      'Back 1 second',
      'Pause',
      'Forward 3 seconds',
      'Slower',
      'Faster',
    ]);
    expect(document.querySelector('audio, video')).toBeNull();
    const menu = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
    const drag = new Event('dragstart', { bubbles: true, cancelable: true });
    player?.dispatchEvent(menu);
    player?.dispatchEvent(drag);
    expect(menu.defaultPrevented).toBe(true);
    expect(drag.defaultPrevented).toBe(true);
    expect($('[draggable="true"]')).toBeNull();

    click(player?.querySelector('[aria-label="Pause"]'));
    expect(app.audio.playing).toBe(false);
    expect(player?.querySelector('[aria-label="Play"]')).not.toBeNull();
    click(player?.querySelector('[aria-label="Faster"]'));
    expect(text('[data-testid="rate"]')).toBe('Speed 1.1×');
  });

  it('shows a watermark with the reviewer pseudonym and the time', async () => {
    app = await mountReviewApp();
    await app.openBatch();
    const pseudonym = app.store.getState().session.info?.identity.pseudonym ?? '';

    expect(pseudonym).not.toBe('');
    expect(text('[data-testid="watermark"]')).toMatch(new RegExp(`^${pseudonym} · .*\\d{1,2}:\\d{2}`));
  });

  it('goes back to the batch list with Alt+Left, not Escape, with the focus on the batch', async () => {
    app = await mountReviewApp();
    await app.openBatch();

    expect(pressKey(box(), { code: 'Escape' }).defaultPrevented).toBe(false);
    expect($('textarea')).not.toBeNull();
    const back = pressKey(box(), { code: 'ArrowLeft', altKey: true });

    expect(back.defaultPrevented).toBe(true);
    expect($('textarea')).toBeNull();
    expect(document.activeElement).toBe($('button.batch-open'));
    expect(app.store.getState().review.batchId).toBeNull();
  });

  it('lists the review shortcuts in the help', async () => {
    app = await mountReviewApp();
    await app.openBatch();

    pressKey(box(), { code: 'F1' });

    expect(text('[data-command="player.toggle"]')).toBe('Play or pauseCtrl+K');
    expect(text('[data-command="review.submit"]')).toBe('Submit and go to the next clipCtrl+Enter');
    expect(text('[data-command="review.disposition.noise_only"] kbd')).toBe('Alt+4');
  });

  it('puts the focus back in the transcript box when the help closes', async () => {
    app = await mountReviewApp();
    await app.openBatch();

    pressKey(box(), { code: 'F1' });
    expect(document.activeElement).toBe($('[role="dialog"]'));
    pressKey(document.activeElement ?? document.body, { code: 'Escape' });

    expect($('[role="dialog"]')).toBeNull();
    expect(document.activeElement).toBe(box());
    expect(app.store.getState().review.batchId).toBe('b-AAAAAAAAAAREV1EW');
  });

  it('speaks Spanish', async () => {
    app = await mountReviewApp({ language: 'es' });
    await app.openBatch();

    expect(text('.submit')).toContain('Enviar y siguiente');
    expect(text('[data-testid="progress"]')).toBe('Clip 1 de 5 · 0 revisados');
    expect(text('[data-testid="rate"]')).toBe('Velocidad 1,0×');
  });
});
