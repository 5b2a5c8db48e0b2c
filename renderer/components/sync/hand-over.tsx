import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useErrorText } from '../../i18n/error-text';
import type { AppError } from '../../../shared/result';
import { useAppStore } from '../../store/store-context';

type Step =
  | { readonly kind: 'choosing' }
  | { readonly kind: 'confirming'; readonly batchId: string }
  | { readonly kind: 'working'; readonly batchId: string }
  | { readonly kind: 'done'; readonly batchId: string }
  | { readonly kind: 'failed'; readonly batchId: string; readonly error: AppError };

/**
 * Handing a batch over to another of the reviewer's workstations, from the sync panel: choose an
 * active batch, confirm, and main sends the work on it, releases it on the service and erases it
 * here. Every control is a native one, so it is reached with Tab; the confirmation takes the focus
 * and Esc cancels it.
 */
export function HandOver() {
  const { t } = useTranslation();
  const say = useErrorText();
  const ids = useAppStore(useShallow((s) => s.batches.items.filter((b) => b.status === 'active').map((b) => b.id)));
  const handOver = useAppStore((s) => s.sync.handOver);
  const [chosen, setChosen] = useState<string>('');
  const [step, setStep] = useState<Step>({ kind: 'choosing' });
  const confirmRef = useRef<HTMLButtonElement>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const questionId = useId();

  const batchId = ids.includes(chosen) ? chosen : (ids[0] ?? '');
  useEffect(() => {
    if (step.kind === 'confirming') {
      confirmRef.current?.focus();
    }
  }, [step.kind]);

  const cancel = (): void => {
    setStep({ kind: 'choosing' });
    startRef.current?.focus();
  };
  const run = async (id: string): Promise<void> => {
    setStep({ kind: 'working', batchId: id });
    const error = await handOver(id);
    setStep(error ? { kind: 'failed', batchId: id, error } : { kind: 'done', batchId: id });
  };
  const failure = (id: string, error: AppError): string =>
    error.code === 'CONFLICT'
      ? t('sync.handOver.notTaken', { batchId: id })
      : error.code === 'UNAVAILABLE'
        ? t('sync.handOver.unreachable', { batchId: id })
        : t('sync.handOver.failed', { batchId: id, message: say(error) });

  if (ids.length === 0 && (step.kind === 'choosing' || step.kind === 'confirming')) {
    return null;
  }
  return (
    <section className="sync-hand-over" aria-labelledby={headingId} data-testid="sync-hand-over">
      <h3 id={headingId}>{t('sync.handOver.heading')}</h3>
      {ids.length > 0 && (
        <p>
          <label>
            {t('sync.handOver.batch')}{' '}
            <select value={batchId} disabled={step.kind === 'working'} onChange={(e) => setChosen(e.target.value)}>
              {ids.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>{' '}
          <button
            type="button"
            ref={startRef}
            disabled={step.kind === 'working'}
            onClick={() => setStep({ kind: 'confirming', batchId })}
          >
            {t('sync.handOver.start')}
          </button>
        </p>
      )}
      {step.kind === 'confirming' && (
        <div
          role="alertdialog"
          aria-labelledby={headingId}
          aria-describedby={questionId}
          data-testid="sync-hand-over-confirm"
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              cancel();
            }
          }}
        >
          <p id={questionId}>{t('sync.handOver.question', { batchId: step.batchId })}</p>
          <button type="button" ref={confirmRef} onClick={() => void run(step.batchId)}>
            {t('sync.handOver.confirm')}
          </button>{' '}
          <button type="button" onClick={cancel}>
            {t('sync.handOver.cancel')}
          </button>
        </div>
      )}
      {step.kind === 'working' && (
        <p role="status" data-testid="sync-hand-over-result" data-outcome="working">
          {t('sync.handOver.working', { batchId: step.batchId })}
        </p>
      )}
      {step.kind === 'done' && (
        <p role="status" data-testid="sync-hand-over-result" data-outcome="done">
          {t('sync.handOver.done', { batchId: step.batchId })}
        </p>
      )}
      {step.kind === 'failed' && (
        <p role="alert" data-testid="sync-hand-over-result" data-outcome="failed">
          {failure(step.batchId, step.error)}
        </p>
      )}
    </section>
  );
}
