import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/store-context';

/** Locks the app now: the top bar's button for the lock command (its keys shown in the tooltip). */
export function LockButton({ keys }: { readonly keys?: string | undefined }) {
  const { t } = useTranslation();
  const ready = useAppStore((s) => s.lock.state !== null && !s.lock.state.locked);
  const lockNow = useAppStore((s) => s.lock.lockNow);
  if (!ready) {
    return null;
  }
  const label = t('lock.lockNow');
  return (
    <button
      type="button"
      className="lock-button"
      data-testid="lock-now"
      aria-keyshortcuts={keys}
      title={keys ? `${t('lock.command')} (${keys})` : t('lock.command')}
      onClick={() => void lockNow('manual')}
    >
      {label}
    </button>
  );
}
