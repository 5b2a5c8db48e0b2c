import { useTranslation } from 'react-i18next';
import type { SecondListenCounts } from '../../../shared/domain/timing';
import { formatters } from '../../reports/format';

/**
 * Second listens per reviewer of the report: how many each asked for, how many of those a
 * teammate answered, and how many each answered for teammates. The service counts them over the
 * window the shifts were listed for, which the caption names.
 */
export function SecondListensTable({ counts }: { readonly counts: SecondListenCounts }) {
  const { t, i18n } = useTranslation();
  const f = formatters(t, i18n.language);
  return (
    <figure className="chart" data-testid="report-second-listens">
      <figcaption>
        {t('reports.secondListens.title', { from: f.dateTime(counts.from), to: f.dateTime(counts.to) })}
      </figcaption>
      {counts.reviewers.length === 0 ? (
        <p className="empty">{t('reports.secondListens.none')}</p>
      ) : (
        <table className="chart-table">
          <thead>
            <tr>
              <th scope="col">{t('reports.secondListens.reviewer')}</th>
              <th scope="col">{t('reports.secondListens.asked')}</th>
              <th scope="col">{t('reports.secondListens.answeredForThem')}</th>
              <th scope="col">{t('reports.secondListens.given')}</th>
            </tr>
          </thead>
          <tbody>
            {counts.reviewers.map((r) => (
              <tr key={r.pseudonym} data-reviewer={r.pseudonym}>
                <th scope="row">
                  <bdi>{r.pseudonym}</bdi>
                </th>
                <td>{f.count(r.requested)}</td>
                <td>{f.count(r.answeredForThem)}</td>
                <td>{f.count(r.answered)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </figure>
  );
}
