import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/store-context';

/** Opens the shift reports; shown to supervisors only (main refuses everyone else anyway). */
export function ReportsButton() {
  const { t } = useTranslation();
  const supervisor = useAppStore((s) => s.session.info?.identity.role === 'supervisor');
  const reviewing = useAppStore((s) => s.review.batchId !== null);
  const open = useAppStore((s) => s.reports.open);
  const show = useAppStore((s) => s.reports.show);
  if (!supervisor || reviewing || open) {
    return null;
  }
  return (
    <button type="button" className="reports-button" onClick={() => void show()}>
      {t('reports.open')}
    </button>
  );
}
