import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceInfo } from '../../../shared/domain/device';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import type { AppError } from '../../../shared/result';
import { useErrorText } from '../../i18n/error-text';
import { useAppStore } from '../../store/store-context';
import { ModalDialog } from '../review/modal-dialog';

type Props = {
  /** The two device channels; nothing else of the API is needed here. */
  readonly device: ReviewerApi['device'];
};

/** The fingerprint in blocks of four, so two people can read it to each other and compare. */
export function groupFingerprint(hex: string): string {
  return (hex.match(/.{1,4}/g) ?? []).join(' ');
}

/**
 * The workstation's key, readable: its fingerprint and where the service stands on it, and its
 * public half saved as a file for an operator to pack batches for this workstation. Only the
 * public key ever reaches this screen.
 */
export function DeviceKeyDialog({ device }: Props) {
  const open = useAppStore((s) => s.ui.deviceKeyOpen);
  return open ? <DeviceKeyPanel device={device} /> : null;
}

type Outcome =
  { readonly kind: 'saved'; readonly file: string } | { readonly kind: 'failed'; readonly error: AppError };

function DeviceKeyPanel({ device }: Props) {
  const { t } = useTranslation();
  const say = useErrorText();
  const close = useAppStore((s) => s.ui.closeDeviceKey);
  const state = useAppStore((s) => s.sync.status?.deviceState ?? 'unregistered');
  const serviceKey = useAppStore((s) => s.sync.status?.serviceKey ?? null);
  const [info, setInfo] = useState<DeviceInfo | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  useEffect(() => {
    let live = true;
    void device.info().then((r) => {
      if (live) {
        if (r.ok) {
          setInfo(r.value);
        } else {
          setOutcome({ kind: 'failed', error: r.error });
        }
      }
    });
    return () => {
      live = false;
    };
  }, [device]);

  const save = async (): Promise<void> => {
    const r = await device.savePublicKey();
    if (!r.ok) {
      setOutcome({ kind: 'failed', error: r.error });
    } else if (r.value.file !== null) {
      setOutcome({ kind: 'saved', file: r.value.file });
    }
  };

  return (
    <ModalDialog labelledBy="device-key-title" className="device-key" onCancel={close}>
      <h2 id="device-key-title">{t('device.title')}</h2>
      <dl className="device-key-facts" data-testid="device-key">
        <div>
          <dt>{t('device.state.label')}</dt>
          <dd data-state={state}>{t(`device.state.${state}`)}</dd>
        </div>
        <div>
          <dt>{t('device.keyId')}</dt>
          <dd>
            <code>{info?.keyId ?? '…'}</code>
          </dd>
        </div>
        <div>
          <dt>{t('device.fingerprint')}</dt>
          <dd>
            <code className="fingerprint" data-testid="device-fingerprint">
              {info ? groupFingerprint(info.fingerprint) : '…'}
            </code>
          </dd>
        </div>
        {serviceKey && (
          <div>
            <dt>{t('device.serviceKey')}</dt>
            <dd>
              <code className="fingerprint" data-testid="service-key-fingerprint">
                {groupFingerprint(serviceKey.fingerprint)}
              </code>{' '}
              <span>{t(serviceKey.pinned ? 'device.serviceKeyPinned' : 'device.serviceKeyFirstUse')}</span>
            </dd>
          </div>
        )}
      </dl>
      <p className="device-key-hint">{t('device.hint')}</p>
      <p role="status">
        {outcome?.kind === 'saved' && t('device.saved', { file: outcome.file })}
        {outcome?.kind === 'failed' && t('device.failed', { message: say(outcome.error) })}
      </p>
      <div className="dialog-actions">
        <button type="button" data-autofocus onClick={() => void save()}>
          {t('device.save')}
        </button>
        <button type="button" aria-keyshortcuts="Escape" onClick={close}>
          {t('device.close')} <kbd aria-hidden="true">Esc</kbd>
        </button>
      </div>
    </ModalDialog>
  );
}
