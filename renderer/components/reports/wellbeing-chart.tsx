import { useTranslation } from 'react-i18next';
import { escalationCategories } from '../../../shared/domain/annotation';
import type { ReviewerFigures } from '../../../shared/timing/reviewer-figures';
import { formatters } from '../../reports/format';
import { ReviewerBarsChart } from './reviewer-bars-chart';

/**
 * Wellbeing: each reviewer's escalations by category, stacked, and how many of them a break
 * followed within the time docs/timing.md names.
 */
export function WellbeingChart({ reviewers }: { readonly reviewers: readonly ReviewerFigures[] }) {
  const { t, i18n } = useTranslation();
  const f = formatters(t, i18n.language);
  return (
    <ReviewerBarsChart
      testId="chart-reviewer-wellbeing"
      title={t('reports.reviewerCharts.wellbeing')}
      axisLabel={t('reports.reviewerCharts.countAxis')}
      tick={(n) => f.count(n)}
      legend={escalationCategories.map((c) => ({
        className: `category-${c}`,
        label: t(`escalation.categories.${c}`),
      }))}
      rows={reviewers.map((r) => {
        const followed = t('reports.reviewerCharts.followedByBreak', {
          followed: f.count(r.escalationsFollowedByBreak),
          escalations: f.count(r.escalations),
        });
        const byCategory = escalationCategories
          .filter((c) => r.escalationsByCategory[c] > 0)
          .map((c) => `${t(`escalation.categories.${c}`)} ${f.count(r.escalationsByCategory[c])}`)
          .join(', ');
        return {
          name: r.pseudonym,
          bars: [escalationCategories.map((c) => ({ value: r.escalationsByCategory[c], className: `category-${c}` }))],
          text: followed,
          description: `${r.pseudonym}: ${byCategory === '' ? t('reports.reviewerCharts.noEscalations') : byCategory}; ${followed}`,
        };
      })}
    />
  );
}
