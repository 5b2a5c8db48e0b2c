import { useTranslation } from 'react-i18next';
import { useErrorText } from '../../i18n/error-text';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';
import { BreakPanel } from './break-panel';
import { BreakSuggestion } from './break-suggestion';
import { ClipHeader } from './clip-header';
import { DispositionBar } from './disposition-bar';
import { EscalationDialog } from './escalation-dialog';
import { PacePanel } from './pace-panel';
import { PlayerControls } from './player-controls';
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
  const { flow } = useReview();
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
        <button type="button" onClick={() => flow.clips.close()}>
          {t('review.back')}
        </button>
      </div>
      {error && <p role="alert">{t(errorText[errorDuring], { message: say(error) })}</p>}
      {loading && !hasClip && <p aria-busy="true">{t('app.loading')}</p>}
      {empty && !error && <p className="empty">{t('review.empty')}</p>}
      {hasClip && onBreak && <BreakPanel />}
      {hasClip && !onBreak && (
        <>
          <PacePanel />
          <ClipHeader />
          <PlayerControls />
          <TranscriptEditor />
          <TagList />
          <TranscriptDiff />
          <DispositionBar />
          <SubmitBar />
          <TagMenu />
          <EscalationDialog />
          <BreakSuggestion />
        </>
      )}
      <Watermark />
    </section>
  );
}
