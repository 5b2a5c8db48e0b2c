/**
 * Keeps clip text off the OS clipboard. Outside the transcript editor, copy, cut, drag and the
 * context menu do nothing. Inside it, cut, copy and paste go through a clipboard of the app's
 * own, in memory, so editing works as usual while no clip text reaches other programs. Paste
 * from outside still works: once the window has lost focus after an in-app copy (the reviewer
 * went to copy something elsewhere), a paste takes the OS clipboard again.
 *
 * Every route to the clipboard in Chromium raises a `copy` or `cut` event first (Ctrl+C/X,
 * Ctrl+Insert, Shift+Delete, the Edit menu's roles, the context menu), so guarding the events
 * covers them all; the app menu offers no Copy or Cut anyway (main/app/menu.ts). Dragging text
 * would hand it to whatever it is dropped on, so a drag never starts. Linux's PRIMARY selection
 * is outside the page's reach: docs/deployment.md states that limit.
 */

/** The transcript editor's element id: the one place where text may be cut, copied and pasted. */
export const EDITOR_ID = 'transcript';

export type InAppClipboard = {
  /** What the last in-app cut or copy took; undefined once the window lost focus after it. */
  readonly text: () => string | undefined;
};

const inEditor = (target: EventTarget | null): target is HTMLTextAreaElement =>
  target instanceof HTMLTextAreaElement && target.id === EDITOR_ID;

const selectedText = (box: HTMLTextAreaElement): string => box.value.slice(box.selectionStart, box.selectionEnd);

/**
 * Edits the box as typing would: `execCommand` keeps the browser's undo history and raises the
 * `input` event React listens to. It is deprecated but has no replacement for either.
 */
const edit = (command: 'delete' | 'insertText', text?: string): void => {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the only editing call that keeps native undo and fires `input`
  document.execCommand(command, false, text);
};

export function attachCopyGuard(target: Window = window): { detach: () => void; clipboard: InAppClipboard } {
  let held: string | undefined;
  const doc = target.document;

  const onCopyOrCut = (e: ClipboardEvent): void => {
    e.preventDefault();
    e.stopPropagation();
    if (!inEditor(e.target)) {
      return;
    }
    const text = selectedText(e.target);
    if (text === '') {
      return;
    }
    held = text;
    if (e.type === 'cut') {
      edit('delete');
    }
  };

  const onPaste = (e: ClipboardEvent): void => {
    if (!inEditor(e.target) || held === undefined) {
      // Outside text from the OS clipboard: the browser pastes it as usual.
      return;
    }
    e.preventDefault();
    edit('insertText', held);
  };

  const refuse = (e: Event): void => {
    e.preventDefault();
  };
  const onContextMenu = (e: Event): void => {
    if (!inEditor(e.target)) {
      e.preventDefault();
    }
  };
  const onBlur = (): void => {
    held = undefined;
  };

  doc.addEventListener('copy', onCopyOrCut, true);
  doc.addEventListener('cut', onCopyOrCut, true);
  doc.addEventListener('paste', onPaste, true);
  doc.addEventListener('dragstart', refuse, true);
  doc.addEventListener('contextmenu', onContextMenu, true);
  target.addEventListener('blur', onBlur);
  return {
    clipboard: { text: () => held },
    detach: () => {
      doc.removeEventListener('copy', onCopyOrCut, true);
      doc.removeEventListener('cut', onCopyOrCut, true);
      doc.removeEventListener('paste', onPaste, true);
      doc.removeEventListener('dragstart', refuse, true);
      doc.removeEventListener('contextmenu', onContextMenu, true);
      target.removeEventListener('blur', onBlur);
    },
  };
}
