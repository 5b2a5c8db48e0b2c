import { useTranslation } from 'react-i18next';
import { useErrorText } from '../i18n/error-text';
import { useAppStore } from '../store/store-context';

/**
 * Each import main reports, as a progress bar while clips go in and a line that says how it
 * ended. Counts and ids only, as main sends them.
 */
export function ImportProgressList() {
  const { t } = useTranslation();
  const say = useErrorText();
  const imports = useAppStore((s) => s.batches.imports);
  // How the last package import ended, per package, in every mode (an export is the sync indicator's).
  const offline = useAppStore((s) => s.sync.offline);
  const clear = useAppStore((s) => s.sync.clearOffline);
  const result =
    offline?.kind === 'imported'
      ? [
          ...offline.report.imported.map((batch) => t('imports.result.imported', { batch })),
          ...offline.report.refused.map((r) => t('imports.result.refused', { file: r.file, reason: say(r.error) })),
          ...(offline.report.imported.length + offline.report.refused.length === 0 ? [t('imports.result.none')] : []),
        ]
      : offline?.kind === 'importFailed'
        ? [t('imports.result.failed', { reason: say(offline.error) })]
        : [];
  if (imports.length === 0 && result.length === 0) {
    return null;
  }
  return (
    <ul className="imports" aria-label={t('imports.heading')} data-testid="imports">
      {result.length > 0 && (
        <li data-phase="result" data-testid="import-result">
          <span role="status">{result.join(' · ')}</span>{' '}
          <button type="button" onClick={clear}>
            {t('frame.dismiss')}
          </button>
        </li>
      )}
      {imports.map((p) => {
        const batch = p.batchId ?? t('imports.unknownBatch');
        const running = p.phase === 'reading' || p.phase === 'importing';
        return (
          <li key={p.importId} data-phase={p.phase}>
            <span role="status">
              {t(`imports.phase.${p.phase}`, { batch, done: p.clipsDone, total: p.clipsTotal })}
            </span>
            {running && (
              <progress
                className="meter"
                aria-label={t('imports.progressLabel', { batch })}
                value={p.clipsDone}
                max={Math.max(p.clipsTotal, 1)}
              />
            )}
          </li>
        );
      })}
    </ul>
  );
}
