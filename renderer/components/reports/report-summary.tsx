import { useTranslation } from 'react-i18next';
import type { ShiftSummary } from '../../../shared/domain/timing';
import { formatters } from '../../reports/format';

type FigureKey =
  | 'started'
  | 'ended'
  | 'duration'
  | 'workTime'
  | 'clipsDone'
  | 'amendments'
  | 'clipsPerHour'
  | 'clipsPerActiveHour'
  | 'idleTime'
  | 'medianHandle'
  | 'meanActive'
  | 'listenTime'
  | 'wer'
  | 'escalations'
  | 'criticalClips'
  | 'submittedBeforeHeard'
  | 'breaks'
  | 'suggestedBreaks';

/**
 * The shifts' figures as a table: one column per shift, one row per figure, so a single
 * shift reads as a list of "figure — value" and the printed page stays narrow.
 */
export function ReportSummary({ summaries }: { readonly summaries: readonly ShiftSummary[] }) {
  const { t, i18n } = useTranslation();
  const f = formatters(t, i18n.language);
  const rows: readonly [key: FigureKey, value: (s: ShiftSummary) => string][] = [
    ['started', (s) => f.dateTime(s.shift.startedAt)],
    [
      'ended',
      (s) =>
        s.shift.endReason
          ? `${f.dateTime(s.shift.endedAt)} (${t(`reports.endReasons.${s.shift.endReason}`)})`
          : t('reports.stillOpen'),
    ],
    ['duration', (s) => f.duration(s.durationMs)],
    ['workTime', (s) => f.duration(s.workMs)],
    ['clipsDone', (s) => f.count(s.clipsDone)],
    ['amendments', (s) => f.count(s.amendments)],
    ['clipsPerHour', (s) => f.rate(s.clipsPerHour)],
    ['clipsPerActiveHour', (s) => f.rate(s.clipsPerActiveHour)],
    ['idleTime', (s) => f.duration(s.idleMs)],
    ['medianHandle', (s) => f.seconds(s.medianHandleMs)],
    ['meanActive', (s) => f.seconds(s.meanActiveMs)],
    ['listenTime', (s) => f.duration(s.listenMs)],
    ['wer', (s) => f.percent(s.wer)],
    ['escalations', (s) => f.count(s.escalations)],
    ['criticalClips', (s) => f.count(s.criticalClips)],
    ['submittedBeforeHeard', (s) => f.count(s.submittedBeforeHeard)],
    ['breaks', (s) => t('reports.breaksValue', { n: f.count(s.breaks), time: f.duration(s.breakMs) })],
    [
      'suggestedBreaks',
      (s) =>
        t('reports.suggestedValue', {
          taken: f.count(s.suggestedBreaksTaken),
          declined: f.count(s.suggestedBreaksSkipped),
        }),
    ],
  ];
  return (
    <table className="report-summary" data-testid="report-summary">
      <caption>{t('reports.summaryCaption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('reports.figure')}</th>
          {summaries.map((s) => (
            <th key={s.shift.id} scope="col">
              <bdi>{s.shift.pseudonym}</bdi>
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, value]) => (
          <tr key={key} data-figure={key}>
            <th scope="row">{t(`reports.figures.${key}`)}</th>
            {summaries.map((s) => (
              <td key={s.shift.id}>{value(s)}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
