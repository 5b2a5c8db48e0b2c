import { useTranslation } from 'react-i18next';
import type { CriticalCategory } from '../../../shared/domain/annotation';
import { withCriticalMarkers } from '../../../shared/review/critical';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';

type Row = {
  readonly kind: 'critical' | 'entities';
  readonly index: number;
  readonly text: string;
  /** A few words each side, so two tags on one word (or one word tagged twice) read apart. */
  readonly before: string;
  readonly after: string;
  readonly label: string;
};

/** Characters of context shown each side of a tagged span. */
const CONTEXT_CHARS = 18;

/** The rows and the outgoing preview: they show transcript text, so they follow every keystroke. */
function TaggedRows() {
  const { t } = useTranslation();
  const { flow } = useReview();
  const body = useAppStore((s) => s.review.body);
  const around = (s: { readonly start: number; readonly end: number }) => {
    const from = Math.max(0, s.start - CONTEXT_CHARS);
    const to = Math.min(body.transcript.length, s.end + CONTEXT_CHARS);
    return {
      text: body.transcript.slice(s.start, s.end),
      before: `${from > 0 ? '…' : ''}${body.transcript.slice(from, s.start)}`,
      after: `${body.transcript.slice(s.end, to)}${to < body.transcript.length ? '…' : ''}`,
    };
  };
  const rows: Row[] = [
    ...body.critical.map((s, index) => ({
      kind: 'critical' as const,
      index,
      ...around(s),
      label: t('review.tags.critical', { category: t(`criticalCategories.${s.category satisfies CriticalCategory}`) }),
    })),
    ...body.entities.map((s, index) => {
      const type = t(`entityTypes.${s.type}` as never, { defaultValue: s.type });
      const label = t('review.tags.entity', { type });
      return {
        kind: 'entities' as const,
        index,
        ...around(s),
        label: s.kbId ? `${label} · ${t('review.tags.kbId', { kbId: s.kbId })}` : label,
      };
    }),
  ];
  return (
    <>
      <ul data-testid="tag-list">
        {rows.map((r) => (
          <li key={`${r.kind}-${r.index}`} data-kind={r.kind}>
            <bdi className="tag-context">
              {r.before}
              <mark className="tag-text">{r.text}</mark>
              {r.after}
            </bdi>{' '}
            <span className="tag-label">{r.label}</span>{' '}
            <button
              type="button"
              aria-label={t('review.tags.remove', { text: r.text })}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => flow.tags.removeSpan(r.kind, r.index)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {body.critical.length > 0 && (
        <p className="preview">
          {t('review.tags.preview')}:{' '}
          <bdi data-testid="outgoing-transcript">{withCriticalMarkers(body.transcript, body.critical)}</bdi>
        </p>
      )}
    </>
  );
}

/**
 * The tagged spans under the editor, each with its text and a remove button; the clip's
 * critical-data flag; and, when it has critical data, the transcript as it will leave the
 * workstation (each critical span replaced by its marker). All as text: transcripts are untrusted.
 * With nothing tagged, a keystroke re-renders nothing here.
 */
export function TagList() {
  const { t } = useTranslation();
  const { keys } = useReview();
  const tagged = useAppStore((s) => s.review.body.critical.length + s.review.body.entities.length > 0);
  const critical = useAppStore((s) => s.review.body.critical.length > 0);

  return (
    <section className="tags" aria-labelledby="tags-title" data-critical={critical}>
      <h3 id="tags-title">
        {t('review.tags.heading')}{' '}
        <span className="hint">
          <kbd>{keys('review.tagCritical')}</kbd> <kbd>{keys('review.tagEntity')}</kbd>
        </span>
      </h3>
      {critical && (
        <p className="critical-flag" data-testid="critical-flag">
          {t('review.tags.criticalFlag')}
        </p>
      )}
      {tagged ? <TaggedRows /> : <p className="empty">{t('review.tags.none')}</p>}
    </section>
  );
}
