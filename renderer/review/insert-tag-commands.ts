/**
 * The hotkeys that insert a tag from the `insertTags` setting at the transcript's caret.
 *
 * Why these keys:
 * - Ctrl+Shift+T (Cmd+Shift+T on macOS) opens the tag menu: T for tag, beside the span tags'
 *   Ctrl+Shift+C and Ctrl+Shift+N. It types nothing, is no editing key of a text box and no
 *   accelerator of Electron's default menu.
 * - Ctrl+1 … Ctrl+5 insert the first five tags without the menu, the same numbers the menu uses.
 *   Alt+Shift+1…5 was passed over: on macOS Option+Shift with a digit types characters on many
 *   layouts (on the French one Option+Shift+5 is "[", which a reviewer typing a tag by hand
 *   needs). Ctrl+digit types nothing on any platform (Cmd+digit on macOS) and only Ctrl+0 is an
 *   Electron accelerator (zoom reset).
 * None runs while a menu or dialog covers the review screen.
 */
import type { CommandRegistry } from '../hotkeys/registry';
import type { TranslationKey } from '../i18n/translation-key';
import type { AppStore } from '../store';
import type { ReviewFlow } from './review-flow';

/** The labels of the chords that insert the first tags of the list, one per tag. */
const DIRECT_TAG_LABELS = [
  'insertTags.commands.tag1',
  'insertTags.commands.tag2',
  'insertTags.commands.tag3',
  'insertTags.commands.tag4',
  'insertTags.commands.tag5',
] as const satisfies readonly TranslationKey[];

/** How many tags of the list have a chord of their own. */
export const DIRECT_TAG_CHORDS = DIRECT_TAG_LABELS.length;

export function registerInsertTagCommands(registry: CommandRegistry, store: AppStore, flow: ReviewFlow): void {
  const clipOpen = (): boolean => store.getState().review.clip !== null && store.getState().review.panel === null;
  const tagAt = (index: number): string | undefined => store.getState().settings.values.insertTags[index];

  registry.register({
    id: 'review.insertTag',
    labelKey: 'insertTags.commands.menu',
    defaultBinding: { code: 'KeyT', mod: true, shift: true },
    run: () => flow.insertion.openInsertMenu(),
    enabled: clipOpen,
  });
  DIRECT_TAG_LABELS.forEach((labelKey, i) => {
    registry.register({
      id: `review.insertTag.${i + 1}`,
      labelKey,
      defaultBinding: { code: `Digit${i + 1}`, mod: true },
      run: () => {
        const tag = tagAt(i);
        if (tag !== undefined) {
          flow.insertion.insertTag(tag);
        }
      },
      enabled: () => clipOpen() && tagAt(i) !== undefined,
    });
  });
}
