/**
 * The review screen's hotkeys. All are chords (Ctrl on Windows/Linux, Cmd on macOS, or Alt), so
 * they work while the transcript box has focus and no plain key ever acts while typing.
 *
 * Why these keys:
 * - J / K / L (back 3 s, play/pause, forward 3 s) is the media-editing convention, under the
 *   right hand's home row; U and I above them are back 1 s and replay from start. The
 *   obvious Ctrl+Space is taken on macOS (Cmd+Space is Spotlight, Ctrl+Space switches the
 *   input source), and Ctrl+R reloads the window in Electron's default menu.
 * - Comma / Period (the < and > keys) step the speed, as in most players; Ctrl+- and Ctrl+=
 *   would collide with the default menu's zoom.
 * - Ctrl+Enter submits and opens the next clip: the "send" chord of chat and mail clients.
 * - Ctrl+[ and Ctrl+] move to the previous and next clip without submitting (amend mode).
 *   Ctrl+Arrow and Alt+Arrow are avoided: they move by word in a text box.
 * - Alt+1…6 set the disposition: one hand, six keys in a row.
 * - Ctrl+Shift+H asks the team for a second listen on the selected words (H for help).
 * - Ctrl+Shift+C / Ctrl+Shift+N tag the selected text as critical data / an entity (C for
 *   critical, N for name); Ctrl+Shift+E escalates (and stops the audio at once). Shift keeps
 *   them off Ctrl+C (copy) and Ctrl+N; none is an accelerator of Electron's default menu.
 * None works while a tag menu, the escalation dialog or a break covers the screen: Ctrl+Enter
 * and Escape then belong to that panel.
 * None of these edits text in a textarea (Ctrl+Z/Y/A/C/X/V, Ctrl+Backspace stay native), and
 * none is a default-menu accelerator of Electron (R, W, M, Q, H on macOS, 0, -, =, Shift+I).
 * Bindings are by physical key (KeyboardEvent.code), so they sit in the same place on every
 * layout; AltGr (Ctrl+Alt) never matches a Ctrl-only or Alt-only chord.
 */
import { dispositions } from '../../shared/domain/annotation';
import { LONG_SKIP_MS, SHORT_SKIP_MS } from '../audio/playback-math';
import type { CommandRegistry } from '../hotkeys/registry';
import type { TranslationKey } from '../i18n/translation-key';
import type { AppStore } from '../store';
import { registerInsertTagCommands } from './insert-tag-commands';
import type { ReviewFlow } from './review-flow';

/** The ids whose label is `commands.<id>` in the translations. */
type LabelledId<K = TranslationKey> = K extends `commands.${infer Id}` ? Id : never;

export function registerReviewCommands(registry: CommandRegistry, store: AppStore, flow: ReviewFlow): void {
  const clipOpen = (): boolean => store.getState().review.clip !== null && store.getState().review.panel === null;
  // A clip erased for withdrawn consent leaves its place empty: the reviewer moves on from there.
  const canMove = (): boolean => clipOpen() || store.getState().review.error?.code === 'CONSENT_WITHDRAWN';
  const add = (
    id: LabelledId,
    code: string,
    run: () => void,
    chord: { mod?: boolean; alt?: boolean; shift?: boolean } = { mod: true },
    enabled: () => boolean = clipOpen,
  ): void => {
    registry.register({ id, labelKey: `commands.${id}`, defaultBinding: { code, ...chord }, run, enabled });
  };

  const askSecondListen = async (): Promise<void> => {
    const asked = await flow.secondListen.ask();
    if (asked) {
      store.getState().review.setNotice(asked.ok ? 'listenAsked' : 'listenFailed');
    }
  };

  add('player.toggle', 'KeyK', () => flow.player.togglePlay());
  add('player.back3', 'KeyJ', () => flow.player.skip(-LONG_SKIP_MS));
  add('player.forward3', 'KeyL', () => flow.player.skip(LONG_SKIP_MS));
  add('player.back1', 'KeyU', () => flow.player.skip(-SHORT_SKIP_MS));
  add('player.replay', 'KeyI', () => flow.player.replay());
  add('player.slower', 'Comma', () => flow.player.stepRate(-1));
  add('player.faster', 'Period', () => flow.player.stepRate(1));
  add('review.submit', 'Enter', () => void flow.clips.submitAndNext());
  add('review.previous', 'BracketLeft', () => void flow.clips.previous(), { mod: true }, canMove);
  add('review.next', 'BracketRight', () => void flow.clips.next(), { mod: true }, canMove);
  add('review.escalate', 'KeyE', () => flow.panels.escalate(), { mod: true, shift: true });
  add('review.tagCritical', 'KeyC', () => flow.tags.openTagMenu('critical'), { mod: true, shift: true });
  add('review.tagEntity', 'KeyN', () => flow.tags.openTagMenu('entity'), { mod: true, shift: true });
  // Ctrl+Shift+H: H for help from the team, on the selected words.
  add('review.askSecondListen', 'KeyH', () => void askSecondListen(), { mod: true, shift: true });
  dispositions.forEach((d, i) =>
    add(`review.disposition.${d}`, `Digit${i + 1}`, () => flow.editor.setDisposition(d), { alt: true }),
  );
  // Ctrl+Shift+T and Ctrl+1…5: tags inserted at the caret (insert-tag-commands.ts says why).
  registerInsertTagCommands(registry, store, flow);
}
