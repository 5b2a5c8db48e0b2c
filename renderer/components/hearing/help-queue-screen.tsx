import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { HeldClip, ListenQueueItem } from '../../../shared/domain/hearing';
import { MAX_PROPOSAL_CHARS } from '../../../shared/domain/inbox-limits';
import type { AppError, Result } from '../../../shared/result';
import { useErrorText } from '../../i18n/error-text';
import { useNow } from '../../inbox/use-now';
import { formatters } from '../../reports/format';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';

/** What the last step came to, shown until the next step or Esc. */
type Outcome =
  | { readonly kind: 'sent' }
  | { readonly kind: 'takenFirst' }
  | { readonly kind: 'badText' }
  | { readonly kind: 'failed'; readonly error: AppError };

/**
 * The team help queue: teammates' second-listen requests (pseudonym, clip and age; never their
 * transcript). Taking one fetches that clip for this device into the protected player, with the
 * stretch the requester asked about marked; the helper writes what they hear and sends it to the
 * requester alone. Esc clears a message; Back (Alt+←) leaves, erasing a clip still held.
 */
export function HelpQueueScreen() {
  const { t, i18n } = useTranslation();
  const say = useErrorText();
  const f = formatters(t, i18n.language);
  const { flow, keys } = useReview();
  const back = keys('app.back');
  const hide = useAppStore((s) => s.inbox.hide);
  const now = useNow();
  const [items, setItems] = useState<readonly ListenQueueItem[] | null>(null);
  const [fetchedAt, setFetchedAt] = useState(0);
  const [loadError, setLoadError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [held, setHeld] = useState<HeldClip | null>(null);
  const [playing, setPlaying] = useState(false);
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const box = useRef<HTMLTextAreaElement>(null);
  const heldId = useRef<string | null>(null);

  const received = useCallback((answer: Result<readonly ListenQueueItem[]>) => {
    if (answer.ok) {
      setItems(answer.value);
      setFetchedAt(Date.now());
      setLoadError(null);
    } else {
      setLoadError(answer.error);
    }
  }, []);
  const load = useCallback(async () => received(await flow.secondListen.queue()), [flow, received]);

  useEffect(() => {
    heading.current?.focus();
    let live = true;
    void flow.secondListen.queue().then((answer) => live && received(answer));
    return () => {
      live = false;
    };
  }, [flow, received]);
  // The button says what the player does, also when a clip plays to its end.
  useEffect(
    () =>
      flow.secondListen.player.listen({
        playing: setPlaying,
        position: () => undefined,
        heardInFull: () => undefined,
        peaks: () => undefined,
        failed: () => setPlaying(false),
      }),
    [flow],
  );
  // Leaving the screen erases a clip still held.
  useEffect(
    () => () => {
      if (heldId.current) {
        void flow.secondListen.release(heldId.current);
      }
    },
    [flow],
  );

  const take = async (item: ListenQueueItem) => {
    setBusy(item.requestId);
    setOutcome(null);
    if (heldId.current) {
      await flow.secondListen.release(heldId.current);
    }
    const answer = await flow.secondListen.take(item.requestId);
    setBusy(null);
    if (!answer.ok) {
      heldId.current = null;
      setHeld(null);
      setOutcome(answer.error.code === 'CONFLICT' ? { kind: 'takenFirst' } : { kind: 'failed', error: answer.error });
      await load();
      return;
    }
    heldId.current = answer.value.holdId;
    setHeld(answer.value);
    setText(item.proposal ?? '');
    setPlaying(false);
  };
  // The box is there only once the held clip renders: the helper types next.
  const heldHoldId = held?.holdId ?? null;
  useEffect(() => {
    if (heldHoldId) {
      box.current?.focus();
    }
  }, [heldHoldId]);

  const toggle = () => {
    if (playing) {
      flow.secondListen.player.pause();
    } else {
      flow.secondListen.player.play();
    }
    setPlaying(!playing);
  };
  const hearStretch = () => {
    const player = flow.secondListen.player;
    player.replay();
    player.skip(held?.window?.startMs ?? 0);
    setPlaying(true);
  };

  const trimmed = text.trim();
  const send = async () => {
    if (!held) {
      return;
    }
    if (trimmed.length === 0 || trimmed.length > MAX_PROPOSAL_CHARS) {
      setOutcome({ kind: 'badText' });
      box.current?.focus();
      return;
    }
    setBusy(held.holdId);
    const answer = await flow.secondListen.propose(held.holdId, trimmed);
    setBusy(null);
    if (!answer.ok) {
      setOutcome({ kind: 'failed', error: answer.error });
      return;
    }
    heldId.current = null;
    setHeld(null);
    setPlaying(false);
    setText('');
    setOutcome({ kind: 'sent' });
    heading.current?.focus();
    await load();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    // Esc clears the message only; leaving the screen is Back.
    if (e.key === 'Escape' && outcome) {
      e.stopPropagation();
      setOutcome(null);
    }
  };

  const stretch = held?.window ?? null;
  const span = (from: number, to: number) => ({ from: f.seconds(from), to: f.seconds(to) });

  return (
    <section
      className="inbox help-queue"
      aria-labelledby="help-queue-heading"
      data-testid="help-queue-screen"
      onKeyDown={onKeyDown}
    >
      <div className="inbox-top">
        <h2 id="help-queue-heading" ref={heading} tabIndex={-1}>
          {t('helpQueue.heading')}
        </h2>
        <button type="button" onClick={() => void load()}>
          {t('inbox.refresh')}
        </button>
        <button type="button" onClick={hide} aria-keyshortcuts={back}>
          {t('reports.back')} <kbd aria-hidden="true">{back}</kbd>
        </button>
      </div>
      <p>{t('helpQueue.intro')}</p>
      {outcome && (
        <p role={outcome.kind === 'sent' ? 'status' : 'alert'} data-testid="help-queue-outcome">
          {outcome.kind === 'sent'
            ? t('helpQueue.sent')
            : outcome.kind === 'takenFirst'
              ? t('helpQueue.takenFirst')
              : outcome.kind === 'badText'
                ? t('helpQueue.textLength', { max: MAX_PROPOSAL_CHARS })
                : t('helpQueue.failed', { message: say(outcome.error) })}
        </p>
      )}
      {loadError && <p role="alert">{t('helpQueue.loadFailed', { message: say(loadError) })}</p>}
      {held && (
        <section className="held-request" aria-labelledby="held-heading" data-testid="held-request">
          <h3 id="held-heading">
            {t('helpQueue.listeningTo')} <bdi>{held.clipId}</bdi>
          </h3>
          {stretch && (
            <>
              <p data-testid="help-queue-window">{t('helpQueue.window', span(stretch.startMs, stretch.endMs))}</p>
              <div className="listen-window" aria-hidden="true">
                <span
                  className="listen-window-mark"
                  style={{
                    left: `${(stretch.startMs / Math.max(1, held.durationMs)) * 100}%`,
                    width: `${((stretch.endMs - stretch.startMs) / Math.max(1, held.durationMs)) * 100}%`,
                  }}
                />
              </div>
            </>
          )}
          <div className="held-controls">
            <button type="button" onClick={toggle}>
              {t(playing ? 'helpQueue.pause' : 'helpQueue.play')}
            </button>
            {stretch && (
              <button type="button" onClick={hearStretch}>
                {t('helpQueue.playStretch')}
              </button>
            )}
          </div>
          <label htmlFor="help-queue-text">{t('helpQueue.proposalLabel', { max: MAX_PROPOSAL_CHARS })}</label>
          <textarea
            id="help-queue-text"
            ref={box}
            dir="auto"
            value={text}
            maxLength={MAX_PROPOSAL_CHARS}
            onChange={(e) => setText(e.target.value)}
          />
          <p className="count">{t('helpQueue.chars', { count: text.length, max: MAX_PROPOSAL_CHARS })}</p>
          <button type="button" aria-busy={busy === held.holdId} disabled={busy !== null} onClick={() => void send()}>
            {t('helpQueue.send')}
          </button>
        </section>
      )}
      {items && items.length === 0 && <p className="empty">{t('helpQueue.empty')}</p>}
      {items && items.length > 0 && (
        <ol className="escalations" aria-label={t('helpQueue.listLabel')}>
          {items.map((item) => (
            <li key={item.requestId} className="escalation" data-testid="help-queue-item">
              <div className="escalation-head">
                <h3>
                  <bdi>{item.requester}</bdi> · <bdi>{item.clipId}</bdi>
                </h3>
                <span className="age">
                  {t('inbox.age', {
                    age: f.duration(Math.max(0, fetchedAt - item.createdAt) + Math.max(0, now - fetchedAt)),
                  })}
                </span>
              </div>
              <p>{t(`helpQueue.states.${item.state}`)}</p>
              {(item.state === 'open' || (item.state === 'taken' && item.takenByMe)) &&
                held?.holdId !== item.requestId && (
                  <button
                    type="button"
                    aria-busy={busy === item.requestId}
                    disabled={busy !== null}
                    onClick={() => void take(item)}
                  >
                    {t('helpQueue.take')}
                  </button>
                )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
