import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppError } from '../../../shared/result';
import { useErrorText } from '../../i18n/error-text';
import { useReview } from '../../review/review-context';

type Props = {
  /** The escalation's op id. */
  readonly opId: string;
};

/**
 * "Hear clip" for an escalation: fetches the clip packed for this workstation, plays it in the
 * protected player from memory, and erases it when stopped or when the button leaves the page.
 */
export function HearClipButton({ opId }: Props) {
  const { t } = useTranslation();
  const say = useErrorText();
  const { flow } = useReview();
  const [state, setState] = useState<'idle' | 'loading' | 'playing'>('idle');
  const [error, setError] = useState<AppError | null>(null);

  useEffect(
    () => () => {
      void flow.secondListen.release(opId);
    },
    [flow, opId],
  );

  const hear = async () => {
    setState('loading');
    const held = await flow.secondListen.hearEscalation(opId);
    if (!held.ok) {
      setError(held.error);
      setState('idle');
      return;
    }
    setError(null);
    flow.secondListen.player.play();
    setState('playing');
  };
  const stop = async () => {
    await flow.secondListen.release(opId);
    setState('idle');
  };

  return (
    <span className="hear-clip">
      <button
        type="button"
        aria-busy={state === 'loading'}
        disabled={state === 'loading'}
        onClick={() => void (state === 'playing' ? stop() : hear())}
      >
        {t(state === 'playing' ? 'hearing.stop' : 'hearing.hear')}
      </button>
      {error && <span role="alert">{say(error)}</span>}
    </span>
  );
}
