import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { AppState } from '../../store';
import { useAppStore } from '../../store/store-context';
import { numberFormat } from '../../i18n/intl';
import { WithheldNote } from '../withheld-note';

const openBatch = (s: AppState) => s.batches.items.find((b) => b.id === s.review.batchId);

/** Which clip this is (pseudonymous id only), how long, in which language, and batch progress. */
export function ClipHeader() {
  const { t, i18n } = useTranslation();
  const clip = useAppStore((s) => s.review.clip);
  const index = useAppStore((s) => s.review.index);
  // Only the batch's figures shown here are selected, not the batch itself: the batch list is
  // sent again after every submit, and a new object would re-render the header each time.
  const clipCount = useAppStore((s) => openBatch(s)?.clipCount);
  const locale = useAppStore((s) => openBatch(s)?.locale ?? '');
  const withheld = useAppStore(useShallow((s) => openBatch(s)?.withheld));
  // One counting rule: all the batch's clips, the withheld ones named beside the count.
  const playable = useAppStore((s) => s.review.clips.length);
  const total = clipCount ?? playable;
  // review:state lists only this batch's submitted clips, one entry each.
  const done = useAppStore((s) => s.review.submitted.length);
  if (!clip) {
    return null;
  }
  const seconds = numberFormat(i18n.language, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(
    clip.durationMs / 1000,
  );
  return (
    <dl className="clip-header">
      <div>
        <dt>{t('review.clipId')}</dt>
        <dd>
          <bdi className="clip-id" data-testid="clip-id">
            {clip.id}
          </bdi>
        </dd>
      </div>
      <div>
        <dt>{t('review.durationLabel')}</dt>
        <dd>{t('review.duration', { seconds })}</dd>
      </div>
      <div>
        <dt>{t('review.localeLabel')}</dt>
        <dd>
          <bdi>{locale}</bdi>
        </dd>
      </div>
      <div>
        <dt className="visually-hidden">{t('review.heading')}</dt>
        <dd data-testid="progress">{t('review.progress', { position: index + 1, total, done })}</dd>
        <dd>
          <WithheldNote withheld={withheld} />
        </dd>
      </div>
    </dl>
  );
}
