import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

type Props = {
  /** id of the element that names the dialog. */
  readonly labelledBy: string;
  readonly className?: string;
  /** Escape. */
  readonly onCancel: () => void;
  /** Ctrl+Enter (Cmd+Enter on macOS), from anywhere in the dialog. */
  readonly onSave?: () => void;
  readonly children: ReactNode;
};

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The radio a group puts in the tab order: the checked one, else the group's first. */
function tabbable(el: HTMLElement): boolean {
  if (!(el instanceof HTMLInputElement) || el.type !== 'radio' || el.checked) {
    return true;
  }
  const group = [...(el.form ?? document).querySelectorAll<HTMLInputElement>(`input[type="radio"][name="${el.name}"]`)];
  return !group.some((r) => r.checked) && group[0] === el;
}

/**
 * A modal dialog: focus moves in when it opens (to an element marked `data-autofocus`, else the
 * first control), Tab and Shift+Tab stay inside it, and when it closes focus goes back where it
 * was (the transcript box), so a keyboard-only reviewer can carry on typing.
 */
export function ModalDialog({ labelledBy, className, onCancel, onSave, children }: Props) {
  const dialog = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement;
    const el = dialog.current;
    const first = el?.querySelector<HTMLElement>('[data-autofocus]') ?? el?.querySelector<HTMLElement>(FOCUSABLE) ?? el;
    first?.focus();
    return () => {
      if (previous instanceof HTMLElement && previous.isConnected && previous !== document.body) {
        previous.focus();
      } else {
        // What had the focus is gone (the clip changed under the dialog): the transcript box of
        // the clip now on screen takes it, so typing carries on.
        document.getElementById('transcript')?.focus();
      }
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && onSave) {
      e.preventDefault();
      onSave();
    } else if (e.key === 'Tab' && dialog.current) {
      const stops = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(tabbable);
      const first = stops[0];
      const last = stops[stops.length - 1];
      if (!first || !last) {
        e.preventDefault();
      } else if (e.shiftKey && (document.activeElement === first || document.activeElement === dialog.current)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  };

  return (
    <div className="overlay">
      <div
        ref={dialog}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        tabIndex={-1}
        className={className ? `dialog ${className}` : 'dialog'}
        onKeyDown={onKeyDown}
      >
        {children}
      </div>
    </div>
  );
}
