import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../i18n/error-text';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';
import { BreakPanel } from './break-panel';
import { BatchDoneDialog } from './batch-done-dialog';
import { BreakSuggestion } from './break-suggestion';
import { ClipHeader } from './clip-header';
import { DispositionBar } from './disposition-bar';
import { EscalationDialog } from './escalation-dialog';
import { PacePanel } from './pace-panel';
import { PlayerControls } from './player-controls';
import { SecondListenProposals } from './second-listen-proposals';
import { SubmitBar } from './submit-bar';
import { TagList } from './tag-list';
import { TagMenu } from './tag-menu';
import { TranscriptDiff } from './transcript-diff';
import { TranscriptEditor } from './transcript-editor';
import { Watermark } from './watermark';

/** The review screen: one clip at a time, everything reachable by keyboard. */
const errorText = {
  load: 'errors.loadFailed',
  save: 'errors.saveFailed',
  submit: 'errors.submitFailed',
  notStored: 'errors.submitNotStored',
} as const;

export function ReviewScreen() {
  const { t } = useTranslation();
  const say = useErrorText();
  const { flow, keys } = useReview();
  const back = keys('app.back');
  const hasClip = useAppStore((s) => s.review.clip !== null);
  const loading = useAppStore((s) => s.review.loading);
  const empty = useAppStore((s) => !s.review.loading && s.review.clips.length === 0);
  const error = useAppStore((s) => s.review.error);
  const errorDuring = useAppStore((s) => s.review.errorDuring);
  const onBreak = useAppStore((s) => s.review.panel === 'break');

  return (
    <section className="review" aria-labelledby="review-heading">
      <div className="review-top">
        <h2 id="review-heading">{t('review.heading')}</h2>
        {hasClip && !onBreak && <ClipHeader />}
        <button type="button" aria-keyshortcuts={back} onClick={() => flow.clips.close()}>
          {t('review.back')} <kbd aria-hidden="true">{back}</kbd>
        </button>
      </div>
      {error?.code === 'CONSENT_WITHDRAWN' ? (
        <p role="status" className="consent-withdrawn" data-testid="consent-withdrawn">
          {t('review.consentWithdrawn')}
        </p>
      ) : (
        error && <p role="alert">{t(errorText[errorDuring], { message: say(error) })}</p>
      )}
      {loading && !hasClip && <p aria-busy="true">{t('app.loading')}</p>}
      {empty && !error && <p className="empty">{t('review.empty')}</p>}
      {hasClip && onBreak && <BreakPanel />}
      {hasClip && !onBreak && (
        <>
          {/* What is needed on every clip stays in view: the player and the transcript above, the
              action bar below; what can be read at a glance scrolls (or, wide, sits beside). */}
          <div className="review-body">
            <div className="review-main">
              <PlayerControls />
              <TranscriptEditor />
            </div>
            <div className="review-side" data-testid="review-side">
              <SecondListenProposals />
              <TagList />
              <TranscriptDiff />
              <PacePanel />
            </div>
          </div>
          <div className="action-bar" data-testid="action-bar">
            <DispositionBar />
            <SubmitBar />
          </div>
          <TagMenu />
          <EscalationDialog />
          <BreakSuggestion />
          <BatchDoneDialog />
        </>
      )}
      <Watermark />
    </section>
  );
}
