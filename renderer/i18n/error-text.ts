/**
 * What the reviewer reads when a call fails: the text for the error's code in the reviewer's
 * language, with its details filled in. Main's English message is for the log and never shown.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AppError, ErrorCode, PackageRefusal } from '../../shared/result';
import { dateTimeFormat, numberFormat } from './intl';

/**
 * The key that says each code. Typed by code, so a new code without a key here fails the
 * typecheck, and a key missing from the English resources fails it at `t` below.
 */
export const errorKeys: { readonly [C in ErrorCode]: `errors.${C}` } = {
  BAD_REQUEST: 'errors.BAD_REQUEST',
  FORBIDDEN_SENDER: 'errors.FORBIDDEN_SENDER',
  UNKNOWN_CHANNEL: 'errors.UNKNOWN_CHANNEL',
  NOT_FOUND: 'errors.NOT_FOUND',
  CONFLICT: 'errors.CONFLICT',
  LOCKED: 'errors.LOCKED',
  WRONG_SECRET: 'errors.WRONG_SECRET',
  FORBIDDEN_ROLE: 'errors.FORBIDDEN_ROLE',
  POLICY_PINNED: 'errors.POLICY_PINNED',
  PACKAGE_REFUSED: 'errors.PACKAGE_REFUSED',
  BAD_CREDENTIALS: 'errors.BAD_CREDENTIALS',
  ENROLMENT_CODE_INVALID: 'errors.ENROLMENT_CODE_INVALID',
  SERVICE_UNTRUSTED: 'errors.SERVICE_UNTRUSTED',
  EXPIRED: 'errors.EXPIRED',
  CONSENT_WITHDRAWN: 'errors.CONSENT_WITHDRAWN',
  RATE_LIMITED: 'errors.RATE_LIMITED',
  UNAVAILABLE: 'errors.UNAVAILABLE',
  STORAGE_FULL: 'errors.STORAGE_FULL',
  STORAGE_READONLY: 'errors.STORAGE_READONLY',
  STORAGE_IO: 'errors.STORAGE_IO',
  STORAGE_CORRUPT: 'errors.STORAGE_CORRUPT',
  INTERNAL: 'errors.INTERNAL',
};

/**
 * A wait as the reviewer's language says it ("90 seconds", "3 minutos"), in whole units rounded
 * up; Intl knows each language's plural forms, which a message key per form would repeat.
 */
export function formatWait(language: string, seconds: number): string {
  const [value, unit] =
    seconds < 120 ? [Math.max(1, Math.ceil(seconds)), 'second'] : [Math.ceil(seconds / 60), 'minute'];
  return numberFormat(language, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
}

function packageText(t: TFunction, language: string, refusal: PackageRefusal): string {
  switch (refusal.reason) {
    case 'expired': {
      const expires = new Date(refusal.expiresAt);
      // A date the package itself wrote: shown as written if it does not parse.
      const date = Number.isNaN(expires.getTime())
        ? refusal.expiresAt
        : dateTimeFormat(language, { dateStyle: 'long' }).format(expires);
      return t('errors.package.expired', { date });
    }
    case 'already_imported':
    case 'not_assigned':
    case 'held_elsewhere':
    case 'assigned_elsewhere':
    case 'held_for_another_reviewer':
    case 'no_assignment':
      return t(`errors.package.${refusal.reason}`, { batchId: refusal.batchId });
    case 'sign_in_first':
    case 'other_workstation':
    case 'not_a_package':
    case 'invalid':
      return t(`errors.package.${refusal.reason}`);
  }
}

/** The reviewer's-language text for `error`. */
export function errorText(t: TFunction, language: string, error: AppError): string {
  switch (error.code) {
    case 'RATE_LIMITED':
      return error.details
        ? t('errors.retryIn', { wait: formatWait(language, error.details.retryAfterSeconds) })
        : t(errorKeys.RATE_LIMITED);
    case 'PACKAGE_REFUSED':
      return error.details ? packageText(t, language, error.details) : t(errorKeys.PACKAGE_REFUSED);
    default:
      return t(errorKeys[error.code]);
  }
}

/** `errorText` bound to the component's language. */
export function useErrorText(): (error: AppError) => string {
  const { t, i18n } = useTranslation();
  return (error) => errorText(t, i18n.language, error);
}
