import type { Page } from '@playwright/test';
import type { Annotation, Disposition } from '../../shared/domain/annotation';
import { queryDb } from '../support/services';
import { expect, test } from './support/harness';
import { demoBatch, hearInFull, openBatchByKeyboard, type DemoClip } from './support/review-steps';

type SeenWindow = Window & { __clipIdsShown?: Set<string> };

/** Records every clip id the page ever shows, however briefly. */
async function recordShownClipIds(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as SeenWindow;
    w.__clipIdsShown = new Set();
    new MutationObserver(() => {
      document.querySelectorAll('[data-testid="clip-id"]').forEach((el) => w.__clipIdsShown?.add(el.textContent));
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
}

const altKey: Readonly<Record<Disposition, string>> = {
  transcribed: 'Alt+1',
  no_wake_word: 'Alt+2',
  tv_media: 'Alt+3',
  noise_only: 'Alt+4',
  unintelligible: 'Alt+5',
  other_language: 'Alt+6',
};

const dispositionName: Readonly<Record<Disposition, string>> = {
  transcribed: 'Transcribed',
  no_wake_word: 'No wake word',
  tv_media: 'TV or media',
  noise_only: 'Noise only',
  unintelligible: 'Unintelligible',
  other_language: 'Other language',
};

async function choose(page: Page, disposition: Disposition): Promise<void> {
  await page.keyboard.press(altKey[disposition]);
  await expect(page.getByRole('button', { name: new RegExp(`^${dispositionName[disposition]}`) })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
}

/** Listens to the end, submits with Ctrl+Enter, and waits for the clip that follows. */
async function submit(page: Page, next: DemoClip | null): Promise<void> {
  await hearInFull(page);
  await page.keyboard.press('Control+Enter');
  if (next) {
    await expect(page.getByTestId('clip-id')).toHaveText(next.id);
    await expect(page.locator('#transcript')).toBeFocused();
  }
}

const revisions = (history: readonly Annotation[]) =>
  history.map((r) => [r.revision, r.transcript, r.disposition] as const);

test.describe('a whole batch by keyboard', () => {
  test('reviews every clip with each disposition, tags, an escalation and an amendment, and the vault keeps every revision', async ({
    page,
    app,
  }) => {
    // Fourteen clips, each heard in full at double speed.
    test.setTimeout(180_000);
    await recordShownClipIds(page);
    await app.open();
    const { batchId, clips, clip, refused } = demoBatch(app);
    expect(clips).toHaveLength(14);
    expect(refused).toHaveLength(1);
    const box = page.locator('#transcript');
    const expected = new Map<string, (readonly [number, string, Disposition])[]>();
    const expect1 = (c: DemoClip, transcript: string, disposition: Disposition): void => {
      expected.set(c.id, [[1, transcript, disposition]]);
    };

    await openBatchByKeyboard(page);

    // 0: a word added, submitted; then amended from the next clip.
    await expect(page.getByTestId('clip-id')).toHaveText(clip(0).id);
    await page.keyboard.type(' please');
    await choose(page, 'transcribed');
    await submit(page, clip(1));
    await page.keyboard.press('Control+BracketLeft');
    await expect(page.getByTestId('clip-id')).toHaveText(clip(0).id);
    await expect(box).toHaveValue(`${clip(0).asr} please`);
    await expect(page.getByText('Submitted as revision 1.')).toBeVisible();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' now');
    await choose(page, 'other_language');
    await submit(page, clip(1));
    expected.set(clip(0).id, [
      [1, `${clip(0).asr} please`, 'transcribed'],
      [2, `${clip(0).asr} please now`, 'other_language'],
    ]);

    // 1, 2: dispositions only.
    await choose(page, 'no_wake_word');
    await submit(page, clip(2));
    expect1(clip(1), clip(1).asr, 'no_wake_word');
    await choose(page, 'tv_media');
    await submit(page, clip(3));
    expect1(clip(2), clip(2).asr, 'tv_media');

    // 3: "phone number" selected word by word and tagged as a phone number.
    expect(clip(3).asr).toContain('your phone number');
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Control+ArrowRight');
    }
    await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Control+Shift+ArrowRight');
    await page.keyboard.press('Control+Shift+C');
    const critical = page.getByRole('dialog', { name: 'Tag as critical data' });
    await expect(critical.getByTestId('tag-selection')).toHaveText('phone number');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(critical.getByRole('radio', { name: 'Phone number' })).toBeChecked();
    await page.keyboard.press('Enter');
    await expect(box).toBeFocused();
    await expect(page.getByTestId('outgoing-transcript')).toHaveText(
      clip(3).asr.replace('phone number', '[CRITICAL:phone]'),
    );
    await submit(page, clip(4));
    expect1(clip(3), clip(3).asr, 'transcribed');

    // 4: the last word tagged as a contact with a knowledge-base id.
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Control+Shift+ArrowLeft');
    await page.keyboard.press('Control+Shift+N');
    const entity = page.getByRole('dialog', { name: 'Tag as an entity' });
    await expect(entity.getByRole('radio', { name: 'Artist' })).toBeFocused();
    for (let i = 0; i < 3; i += 1) {
      await page.keyboard.press('ArrowDown');
    }
    await expect(entity.getByRole('radio', { name: 'Contact' })).toBeChecked();
    await page.keyboard.press('Tab');
    await expect(entity.getByRole('textbox', { name: 'Knowledge-base id (optional)' })).toBeFocused();
    await page.keyboard.type('kb:contact/4711');
    await page.keyboard.press('Enter');
    await expect(entity).toBeHidden();
    await expect(page.getByTestId('tag-list')).toContainText('Entity: Contact · knowledge-base id kb:contact/4711');
    await submit(page, clip(5));
    expect1(clip(4), clip(4).asr, 'transcribed');

    // 5: escalated while typing, a break taken, then back to finish the clip.
    await page.keyboard.type(' help');
    await page.keyboard.press('Control+Shift+E');
    const escalation = page.getByRole('dialog', { name: 'Escalate this clip' });
    await expect(escalation.getByRole('radio', { name: 'Crime or abuse' })).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(escalation.getByRole('radio', { name: 'Self-harm' })).toBeChecked();
    await page.keyboard.press('Tab');
    await page.keyboard.type('The speaker sounds in danger.');
    await page.keyboard.press('Control+Enter');
    await expect(escalation.getByRole('button', { name: 'Take a break now' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Taking a break' })).toBeVisible();
    await expect(box).toHaveCount(0);
    await page.keyboard.press('Enter');
    await expect(box).toBeFocused();
    await expect(box).toHaveValue(`${clip(5).asr} help`);
    await page.keyboard.press('Control+K');
    await choose(page, 'unintelligible');
    await submit(page, clip(6));
    expect1(clip(5), `${clip(5).asr} help`, 'unintelligible');

    // 6: other language; 7: noise only.
    await choose(page, 'other_language');
    await submit(page, clip(7));
    expect1(clip(6), clip(6).asr, 'other_language');
    await choose(page, 'noise_only');
    await submit(page, clip(8));
    expect1(clip(7), clip(7).asr, 'noise_only');

    // 8: the recognizer's text replaced by what was said.
    await page.keyboard.press('Control+A');
    await page.keyboard.type('press two to enter a different number');
    await submit(page, clip(9));
    expect1(clip(8), 'press two to enter a different number', 'transcribed');

    // 9–13: as recognized.
    for (let i = 9; i < 14; i += 1) {
      await submit(page, i < 13 ? clip(i + 1) : null);
      expect1(clip(i), clip(i).asr, 'transcribed');
    }
    await expect(page.getByRole('status').filter({ hasText: 'Every clip in this batch is reviewed.' })).toBeVisible();
    await expect(page.getByTestId('progress')).toHaveText('Clip 14 of 15 · 14 reviewed');
    // The end of the batch: a summary over the clip; Esc closes it and stays on the clip to amend.
    const summary = page.getByRole('dialog', { name: 'Batch finished' });
    await expect(summary.getByTestId('batch-done')).toContainText('14 of 15 clips reviewed');
    await expect(summary.getByTestId('batch-done')).toContainText('Withheld, consent withdrawn: 1');
    await expect(summary.getByRole('button', { name: /^Back to batches/ })).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(summary).toBeHidden();
    await expect(page.locator('#transcript')).toBeFocused();

    await page.keyboard.press('Alt+ArrowLeft');
    await expect(page.locator('button.batch-open').first()).toBeFocused();
    await expect(page.locator('button.batch-open').first()).toContainText('14 of 15 clips reviewed');
    await expect(page.locator('button.batch-open').first()).toContainText('Withheld, consent withdrawn: 1');

    // What the vault stored, revision by revision.
    for (const c of clips) {
      expect(revisions(app.services.annotations.history(batchId, c.id)), c.id).toEqual(expected.get(c.id));
    }
    const [tagged] = app.services.annotations.history(batchId, clip(3).id);
    expect(tagged?.critical).toHaveLength(1);
    const span = tagged?.critical[0];
    expect(span?.category).toBe('phone');
    expect(tagged?.transcript.slice(span?.start, span?.end)).toBe('phone number');
    // Which clip holds critical data is sealed in its revision, never a column anyone can query.
    expect(queryDb(app.dataDir, 'SELECT clip_id FROM annotations WHERE critical IS NOT NULL')).toEqual([]);

    const [named] = app.services.annotations.history(batchId, clip(4).id);
    const lastWord = clip(4).asr.trimEnd().split(/\s+/).at(-1) ?? '';
    expect(named?.entities).toEqual([
      {
        start: clip(4).asr.trimEnd().length - lastWord.length,
        end: clip(4).asr.trimEnd().length,
        type: 'contact',
        kbId: 'kb:contact/4711',
      },
    ]);
    expect(named?.critical).toEqual([]);

    const escalations = queryDb<{ id: string; clipId: string | null; category: string | null; note: Buffer }>(
      app.dataDir,
      'SELECT id, clip_id AS clipId, category, note FROM escalations',
    );
    // The clip and the category are sealed with the note: the row shows neither, main opens them.
    expect(escalations.map(({ clipId, category }) => ({ clipId, category }))).toEqual([
      { clipId: null, category: null },
    ]);
    const opened = app.services.annotations.escalationById(escalations[0]?.id ?? '');
    expect([opened?.clipId, opened?.category]).toEqual([clip(5).id, 'self_harm']);
    expect(escalations[0]?.note.includes('danger')).toBe(false);

    expect(app.services.annotations.state(batchId).submitted).toHaveLength(14);
    // The clip whose speaker withdrew consent never reached the reviewer, nor the vault's work.
    const withdrawn = refused[0] ?? '';
    const shown = await page.evaluate(() => [...((window as SeenWindow).__clipIdsShown ?? [])]);
    expect(new Set(shown)).toEqual(new Set(clips.map((c) => c.id)));
    expect(shown).not.toContain(withdrawn);
    for (const table of ['annotations', 'drafts', 'escalations', 'review_positions']) {
      expect(queryDb(app.dataDir, `SELECT 1 FROM ${table} WHERE clip_id = ?`, withdrawn), table).toEqual([]);
    }
  });
});
