import { useTranslation } from 'react-i18next';
import type { BatchSummary } from '../../shared/domain/batch';

/**
 * The clips of a batch that cannot be reviewed here, named with why. Every count in the app
 * counts all of a batch's clips; this says which of them are withheld, wherever a count shows.
 */
export function WithheldNote({ withheld }: { readonly withheld: BatchSummary['withheld'] | undefined }) {
  const { t } = useTranslation();
  if (!withheld) {
    return null;
  }
  const { consentWithdrawn, quarantined } = withheld;
  const parts = [
    ...(consentWithdrawn > 0 ? [t('batches.withheld.consent', { count: consentWithdrawn })] : []),
    ...(quarantined > 0 ? [t('batches.withheld.quarantined', { count: quarantined })] : []),
  ];
  return parts.length === 0 ? null : (
    <span className="withheld" data-testid="withheld">
      {parts.join(' · ')}
    </span>
  );
}
