/**
 * The workstation's session with the annotation service: sign-in with password, one-time code
 * and this device's signature over the service's challenge; the token and its expiry; the
 * device's enrolment and what the service last said of its key; and the service's encryption key,
 * cached for offline exports.
 *
 * The token lives in memory only: after a restart the reviewer signs in again, and their saved
 * work waits in the outbox meanwhile.
 */
import type { DeviceState, SignInRequest } from '../../../shared/domain/sync';
import type { SettingsRepository } from '../../db/repositories/settings.repository';
import type { LockService } from '../lock.service';
import { ServiceError } from '../service-error';
import type { SessionService } from '../session.service';
import type { VaultService } from '../vault.service';
import { enrolmentRefused, signInError } from './sign-in-error';
import { enrolDevice, signedSignIn } from './sync-steps';
import type { SyncHttp } from './sync-http';

/** Where the service's encryption key is kept once learned at sign-in. */
export const SERVICE_KEY = 'sync.serviceKey';

export type SyncSessionDeps = {
  /** The service's client; null runs without a service (demo mode). */
  readonly http: SyncHttp | null;
  /** The service's origin, which enrolment is remembered for. */
  readonly origin: string | null;
  readonly vault: Pick<VaultService, 'deviceKey' | 'forgetKeys'>;
  readonly settings: SettingsRepository;
  readonly session: SessionService;
  /** Keeps a verifier of the sign-in password for offline unlock; forgets the secrets at sign-out. */
  readonly lock?: Pick<LockService, 'rememberPassword' | 'forgetSecrets'> | undefined;
  readonly now: () => number;
};

/** A sign-in that opened a session. `trouble`: a request after it failed (the sender backs off). */
export type SignedIn = { readonly enrolledNow: boolean; readonly trouble: unknown };

export function createSyncSession(d: SyncSessionDeps) {
  let token: { readonly value: string; readonly expiresAt: number } | undefined;
  // What the service last said about this workstation's key; not kept across restarts.
  let deviceState: DeviceState = 'unregistered';

  const requireHttp = (): SyncHttp => {
    if (!d.http) {
      throw new ServiceError('UNAVAILABLE', 'No annotation service is configured on this workstation.');
    }
    return d.http;
  };

  /** Enrols this device (with the enrolment code, when typed) and notes its state; true when enrolled now. */
  const enrol = async (t: string, enrolmentCode: string | undefined): Promise<boolean> => {
    const answer = await enrolDevice(
      { http: requireHttp(), vault: d.vault, settings: d.settings, origin: d.origin ?? '' },
      t,
      enrolmentCode,
    );
    deviceState = answer.state;
    return answer.enrolledNow;
  };

  return {
    /** The signed-in reviewer's pseudonym, or null. */
    author: (): string | null => {
      const s = d.session.get();
      return s.mode === 'service' ? s.identity.pseudonym : null;
    },
    /** A token is held; it may have expired since (the next cycle finds out). */
    hasToken: (): boolean => token !== undefined,
    /** The token, or null when there is none or it has expired (then it is forgotten). */
    validToken(): string | null {
      if (token && token.expiresAt <= d.now()) {
        token = undefined;
      }
      return token?.value ?? null;
    },
    /** The service ended the session (401): every op is kept, a new sign-in is asked for. */
    forgetToken(): void {
      token = undefined;
    },
    deviceState: (): DeviceState => deviceState,
    /** Asks the service where this workstation's key stands now. */
    async refreshDeviceState(t: string): Promise<DeviceState> {
      deviceState = (await requireHttp().deviceState(t)).state;
      return deviceState;
    },
    /** The service's encryption key as learned at sign-in, or null. */
    serviceKey: () => d.settings.get(SERVICE_KEY) ?? null,

    /**
     * Signs in with password, one-time code and this device's signature over the service's
     * challenge, enrols this device (approved at once with an enrolment code), and learns the
     * service's key. Operator accounts and refused enrolment codes leave no session behind.
     */
    async signIn(r: SignInRequest): Promise<SignedIn> {
      const client = requireHttp();
      let answer;
      try {
        const { challenge } = await client.challenge();
        answer = await client.signIn(signedSignIn(d.vault.deviceKey(), r, challenge));
      } catch (error) {
        throw signInError(error);
      }
      const identity = answer.identity;
      if (identity.role === 'operator') {
        await client.signOut(answer.token).catch(() => undefined);
        throw new ServiceError(
          'FORBIDDEN_ROLE',
          'Operator accounts cannot sign in to the app; operators use the admin CLI on the service host.',
        );
      }
      let enrolledNow = false;
      let trouble: unknown;
      try {
        enrolledNow = await enrol(answer.token, r.enrolmentCode);
      } catch (error) {
        if (enrolmentRefused(error)) {
          // A wrong enrolment code is the reviewer's to fix: nothing is kept of this sign-in.
          await client.signOut(answer.token).catch(() => undefined);
          throw signInError(error);
        }
        trouble = error;
      }
      token = { value: answer.token, expiresAt: answer.expiresAt };
      d.session.signIn({ pseudonym: identity.pseudonym, role: identity.role }, answer.signedIdentity);
      await d.lock?.rememberPassword(r.password);
      if (trouble === undefined) {
        try {
          // Kept for offline exports: results packages are encrypted for this key.
          d.settings.set(SERVICE_KEY, await client.serviceKey());
        } catch (error) {
          trouble = error;
        }
      }
      return { enrolledNow, trouble };
    },

    /** Ends the session here and on the service, and forgets the keys and unlock secrets. */
    async signOut(): Promise<void> {
      const t = token;
      token = undefined;
      if (t && d.http) {
        await d.http.signOut(t.value).catch(() => undefined);
      }
      d.session.signOut();
      d.lock?.forgetSecrets();
      d.vault.forgetKeys();
    },
  };
}

export type SyncSession = ReturnType<typeof createSyncSession>;
