import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxAnswer } from '../../../shared/domain/inbox';
import { MAX_GUIDANCE_CHARS, MAX_REASON_CHARS } from '../../../shared/domain/inbox-limits';

export type AnswerKind = 'refer' | 'close' | 'guidance';

type Props = {
  readonly kind: AnswerKind;
  readonly targets: readonly string[];
  readonly busy: boolean;
  readonly onSubmit: (answer: InboxAnswer) => void;
  readonly onCancel: () => void;
};

/** The one field an answer needs (a referral target, a close reason, guidance), inline in its row. */
export function AnswerForm({ kind, targets, busy, onSubmit, onCancel }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const [target, setTarget] = useState(targets[0] ?? '');
  const field = useRef<HTMLSelectElement & HTMLTextAreaElement>(null);
  useEffect(() => field.current?.focus(), []);

  const blank = kind === 'refer' ? target === '' : text.trim() === '';
  const answer = (): InboxAnswer =>
    kind === 'refer'
      ? { action: 'refer', to: target }
      : kind === 'close'
        ? { action: 'close', reason: text }
        : { action: 'guidance', text };
  // Esc closes this form and nothing more.
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      onCancel();
    }
  };

  return (
    <form
      className="answer-form"
      onKeyDown={onKeyDown}
      onSubmit={(e) => {
        e.preventDefault();
        if (!blank && !busy) {
          onSubmit(answer());
        }
      }}
    >
      <label htmlFor={id}>{t(`inbox.form.${kind}`)}</label>
      {kind === 'refer' ? (
        <select id={id} ref={field} value={target} onChange={(e) => setTarget(e.target.value)}>
          {targets.map((target) => (
            <option key={target} value={target}>
              {target}
            </option>
          ))}
        </select>
      ) : (
        <textarea
          id={id}
          ref={field}
          dir="auto"
          rows={3}
          maxLength={kind === 'close' ? MAX_REASON_CHARS : MAX_GUIDANCE_CHARS}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      )}
      <div className="answer-buttons">
        <button type="submit" disabled={blank || busy}>
          {t(`inbox.form.${kind}Submit`)}
        </button>
        <button type="button" onClick={onCancel} aria-keyshortcuts="Escape">
          {t('inbox.form.cancel')}
        </button>
      </div>
    </form>
  );
}
