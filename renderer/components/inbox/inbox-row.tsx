import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxAnswer, InboxEscalation, QueuedAnswer } from '../../../shared/domain/inbox';
import { SEVERAL_ESCALATIONS_IN_SHIFT } from '../../../shared/domain/inbox-limits';
import type { Age } from '../../inbox/escalation-age';
import { formatters } from '../../reports/format';
import { AnswerForm, type AnswerKind } from './answer-form';

type Props = {
  readonly escalation: InboxEscalation;
  readonly age: Age;
  readonly targets: readonly string[];
  readonly queued: readonly QueuedAnswer[];
  readonly busy: boolean;
  readonly onRespond: (answer: InboxAnswer) => Promise<boolean>;
  readonly onDismiss: (responseId: string) => void;
  /** A further action for this escalation (hearing its clip), placed with the answers. */
  readonly clipAction?: ReactNode;
};

/** One escalation: who, when, what about, the reviewer's note, what was answered, and the answers left. */
export function InboxRow({ escalation: e, age, targets, queued, busy, onRespond, onDismiss, clipAction }: Props) {
  const { t, i18n } = useTranslation();
  const f = formatters(t, i18n.language);
  const [form, setForm] = useState<AnswerKind | null>(null);
  const closed = e.status === 'closed';
  const several = e.shiftEscalations >= SEVERAL_ESCALATIONS_IN_SHIFT;
  const headingId = `escalation-${e.opId}`;
  const submit = (answer: InboxAnswer): void => {
    void onRespond(answer).then((ok) => ok && setForm(null));
  };

  return (
    <li className={age.urgent ? 'escalation urgent' : 'escalation'} aria-labelledby={headingId}>
      <div className="escalation-head">
        <h3 id={headingId}>
          {t(`escalation.categories.${e.category}`)} · <bdi>{e.reviewer}</bdi>
        </h3>
        <span className="age" data-testid="escalation-age">
          {t('inbox.age', { age: f.duration(age.ageMs) })}
          {age.urgent && <strong className="urgent-label"> {t('inbox.urgent')}</strong>}
        </span>
      </div>
      {several && (
        <p className="wellbeing-mark" data-testid="several-escalations">
          {t('inbox.severalInShift', { count: e.shiftEscalations })}
        </p>
      )}
      {e.overdue && !e.ownTeam && <p className="overdue">{t('inbox.overdueOtherTeam')}</p>}
      <dl className="escalation-facts">
        <dt>{t('inbox.clip')}</dt>
        <dd>
          <bdi>{e.clipId}</bdi>
        </dd>
        <dt>{t('inbox.batch')}</dt>
        <dd>
          <bdi>{e.batchId}</bdi>
        </dd>
        <dt>{t('inbox.shift')}</dt>
        <dd>{e.shiftId === null ? t('inbox.shiftUnknown') : <bdi>{e.shiftId}</bdi>}</dd>
        <dt>{t('inbox.saved')}</dt>
        <dd>{f.dateTime(e.createdAt)}</dd>
      </dl>
      {e.note === null ? (
        <p className="note withheld">{t('inbox.noteWithheld')}</p>
      ) : e.note.trim() === '' ? (
        <p className="note empty">{t('inbox.noNote')}</p>
      ) : (
        <blockquote className="note" dir="auto" aria-label={t('inbox.noteLabel')}>
          {e.note}
        </blockquote>
      )}
      {e.responses.length > 0 && (
        <ul className="responses" aria-label={t('inbox.answered')}>
          {e.responses.map((r) => (
            <li key={r.responseId}>
              {t(`inbox.responses.${r.action}`, { by: r.by, to: r.to ?? '', time: f.time(r.at) })}
              {(r.reason ?? r.text) !== undefined && (
                <span className="response-text" dir="auto">
                  {' '}
                  {r.reason ?? r.text}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {queued.map((q) => (
        <p key={q.responseId} className={q.state === 'refused' ? 'queued refused' : 'queued'} role="status">
          {q.state === 'pending'
            ? t('inbox.pending', { action: t(`inbox.actions.${q.action}`) })
            : t('inbox.refused', { action: t(`inbox.actions.${q.action}`), code: q.problem ?? '' })}
          {q.state === 'refused' && (
            <button type="button" onClick={() => onDismiss(q.responseId)}>
              {t('frame.dismiss')}
            </button>
          )}
        </p>
      ))}
      {form === null ? (
        <div className="escalation-actions" role="group" aria-label={t('inbox.actionsLabel')}>
          {e.status === 'open' && (
            <button type="button" disabled={busy} onClick={() => void onRespond({ action: 'acknowledge' })}>
              {t('inbox.actions.acknowledge')}
            </button>
          )}
          {!closed && targets.length > 0 && (
            <button type="button" disabled={busy} onClick={() => setForm('refer')}>
              {t('inbox.actions.refer')}…
            </button>
          )}
          {!closed && (
            <button type="button" disabled={busy} onClick={() => setForm('close')}>
              {t('inbox.actions.close')}…
            </button>
          )}
          <button type="button" disabled={busy} onClick={() => setForm('guidance')}>
            {t('inbox.actions.guidance')}…
          </button>
          {clipAction}
        </div>
      ) : (
        <AnswerForm kind={form} targets={targets} busy={busy} onSubmit={submit} onCancel={() => setForm(null)} />
      )}
    </li>
  );
}
