/**
 * The service's HTTP client with its signed answers checked: a sign-in answer must carry the
 * trusted service key (pinned, or taken now on first use), service time signed over this
 * request's nonce, and an identity signed for this device; a batch-status answer must carry
 * service time signed over its nonce. Each verified time sets the trusted clock to service time.
 * An answer that fails a check is a {@link ServiceTrustError} and nothing of it is used.
 */
import type { BatchListResponse, SignInRequest, SignInResponse } from '../../../shared/sync/messages';
import type { TrustedClock } from '../trusted-clock';
import { newTimeNonce, verifiedIdentity, verifiedServiceTime } from './service-time';
import { ServiceTrustError, type ServiceTrust } from './service-trust';
import type { SyncHttp } from './sync-http';

export type TrustedHttpDeps = {
  readonly trust: Pick<ServiceTrust, 'check' | 'keep' | 'current'>;
  readonly clock: Pick<TrustedClock, 'mark' | 'observeServiceTime'>;
};

export function withServiceTrust(http: SyncHttp, d: TrustedHttpDeps): SyncHttp {
  return {
    ...http,
    async signIn(r: SignInRequest): Promise<SignInResponse> {
      const sent = d.clock.mark();
      const answer = await http.signIn(r);
      const key = d.trust.check(answer.signingKey);
      const at = verifiedServiceTime(key, answer.serviceTime, r.nonce);
      const identity = verifiedIdentity(key, answer.signedIdentity, r.device.keyId);
      if (
        !identity ||
        identity.pseudonym !== answer.identity.pseudonym ||
        identity.role !== answer.identity.role ||
        identity.expiresAt !== answer.expiresAt
      ) {
        throw new ServiceTrustError('bad_signature', 'The annotation service did not sign the identity it gave.');
      }
      d.trust.keep(answer.signingKey);
      d.clock.observeServiceTime(at, sent);
      return answer;
    },
    async batches(token: string): Promise<BatchListResponse> {
      const nonce = newTimeNonce();
      const sent = d.clock.mark();
      const answer = await http.batches(token, nonce);
      const key = d.trust.current();
      if (!key) {
        throw new ServiceTrustError('no_key', 'No service key is trusted yet: sign in first.');
      }
      d.clock.observeServiceTime(verifiedServiceTime(key, answer.serviceTime, nonce), sent);
      return answer;
    },
  };
}
