/**
 * Sign-in (challenge, then password, TOTP and proof of the device's signing key) and sign-out.
 * The order is what makes it safe to race and useless to probe: the attempt is counted before
 * anything is checked; every check runs whether or not the account exists; and the TOTP step is
 * spent by a conditional update whose row count decides success.
 */
import { signingPublicKeyFromRaw, verifySignature } from '../../core/crypto/signing-key';
import {
  signInRequestSchema,
  type ChallengeResponse,
  type SignInRequest,
  type SignInResponse,
} from '../../shared/sync/messages';
import { paths, signInProofMessage } from '../../shared/sync/protocol';
import { appendAudit } from '../audit';
import { hashPassword, newToken, newTotpSecret, tokenHash, totpCounter, verifyPassword } from '../auth';
import type { Core } from '../core';
import { HttpError, parseJson } from '../http';
import { admitSignIn, retryAfterSeconds } from '../sign-in-throttle';
import { signIdentity, signingPublicKeyText, signServiceTime } from '../service-signature';
import type { AccountRow } from '../store/repositories';
import { callerOf, type Route } from './route';

export const BAD_CREDENTIALS_MESSAGE = 'The account, password or one-time code is wrong.';

// Unknown accounts still cost one scrypt, so timing does not tell which accounts exist.
let dummyHash: Promise<string> | undefined;
// A TOTP secret for unknown names, so the code check costs the same.
const dummyTotpSecret = newTotpSecret();

export const challenge: Route = {
  method: 'POST',
  path: paths.signInChallenge,
  auth: false,
  // Anyone may ask, so it writes nothing: the challenge carries its own expiry and MAC.
  handle({ core }) {
    const response: ChallengeResponse = core.challenges.issue(core.now());
    return { status: 201, json: response };
  },
};

/** Why a sign-in failed, for the audit trail only: the caller always reads `bad_credentials`. */
type Refusal = 'unknown_account' | 'disabled' | 'challenge' | 'proof' | 'password' | 'totp' | 'device_mismatch';

type Checked = { readonly account: AccountRow; readonly counter: number } | { readonly refusal: Refusal };

async function check(core: Core, r: SignInRequest, now: number, challengeOk: boolean): Promise<Checked> {
  const signingKey = Buffer.from(r.device.signingKey, 'base64');
  let proofOk = false;
  try {
    proofOk = verifySignature(
      signingPublicKeyFromRaw(signingKey),
      Buffer.from(signInProofMessage(r.challenge, r.account, r.device.keyId), 'utf8'),
      Buffer.from(r.signature, 'base64'),
    );
  } catch {
    proofOk = false;
  }
  const account = await core.store.accounts.find(r.account);
  dummyHash ??= hashPassword('not a password');
  const passwordOk = await verifyPassword(r.password, account?.passwordHash ?? (await dummyHash));
  const counter = totpCounter(account?.totpSecret ?? dummyTotpSecret, r.totp, now);
  const enrolled = account ? await core.store.devices.find(account.account, r.device.keyId) : undefined;
  const refusal: Refusal | undefined = !account
    ? 'unknown_account'
    : account.disabledAt !== null
      ? 'disabled'
      : !challengeOk
        ? 'challenge'
        : !proofOk
          ? 'proof'
          : !passwordOk
            ? 'password'
            : counter === null
              ? 'totp'
              : enrolled && !enrolled.signingKey.equals(signingKey)
                ? 'device_mismatch'
                : undefined;
  return refusal || !account || counter === null ? { refusal: refusal ?? 'totp' } : { account, counter };
}

export const signIn: Route = {
  method: 'POST',
  path: paths.sessions,
  auth: false,
  async handle(ctx) {
    const { core, source } = ctx;
    const request = parseJson(ctx.body, signInRequestSchema);
    const now = core.now();
    const base = { at: now, source, action: 'session.sign_in', subject: request.account } as const;
    // Issued here and unexpired (its MAC and time), then spent in the store: once only.
    const challengeExpiry = core.challenges.check(request.challenge, now);
    // The attempt is counted, and its challenge spent, in one unit of work before anything is checked.
    const { verdict, challengeOk } = await core.store.transaction(async (tx) => {
      const admitted = await admitSignIn(tx, request.account, source, now);
      return {
        verdict: admitted,
        challengeOk:
          admitted.allowed &&
          challengeExpiry !== null &&
          (await tx.signIns.spendChallenge(
            tokenHash(request.challenge),
            challengeExpiry,
            core.challenges.forgetSpentBefore(now),
          )),
      };
    });
    if (!verdict.allowed) {
      const seconds = retryAfterSeconds(verdict.retryAfterMs);
      await appendAudit(core.store, { ...base, actor: null, outcome: 'refused', code: 'rate_limited' });
      throw new HttpError(429, 'rate_limited', 'Too many failed sign-ins; try again later.', {
        'retry-after': String(seconds),
      });
    }
    const checked = await check(core, request, now, challengeOk);
    const { token, hash } = newToken();
    const expiresAt = now + core.tokenTtlMs;
    // The code's step is spent, and the session opened, only if no other sign-in spent it first:
    // the conditional update's row count decides.
    const opened =
      'account' in checked &&
      (await core.store.transaction(async (tx) => {
        const { account } = checked;
        if (!(await tx.accounts.spendTotp(account.account, checked.counter))) {
          return false;
        }
        await tx.sessions.add(hash, {
          account: account.account,
          device: { keyId: request.device.keyId, signingKey: Buffer.from(request.device.signingKey, 'base64') },
          createdAt: now,
          expiresAt,
        });
        // This attempt was counted as a failure before the check; it was not one.
        await tx.signIns.clearPair(request.account, source);
        await appendAudit(tx, {
          ...base,
          actor: account.account,
          detail: { keyId: request.device.keyId, role: account.role },
        });
        return true;
      }));
    if (!opened || !('account' in checked)) {
      await appendAudit(core.store, {
        ...base,
        actor: null,
        outcome: 'refused',
        code: 'bad_credentials',
        detail: { reason: 'refusal' in checked ? checked.refusal : 'totp_spent', keyId: request.device.keyId },
      });
      throw new HttpError(401, 'bad_credentials', BAD_CREDENTIALS_MESSAGE);
    }
    const { account } = checked;
    const response: SignInResponse = {
      token,
      expiresAt,
      identity: { pseudonym: account.pseudonym, role: account.role },
      signingKey: signingPublicKeyText(core.signingKey),
      serviceTime: signServiceTime(core.signingKey, now, request.nonce),
      signedIdentity: signIdentity(core.signingKey, {
        pseudonym: account.pseudonym,
        role: account.role,
        keyId: request.device.keyId,
        issuedAt: now,
        expiresAt,
      }),
    };
    return { status: 201, json: response };
  },
};

export const signOut: Route = {
  method: 'DELETE',
  path: paths.currentSession,
  auth: true,
  async handle(ctx) {
    await ctx.core.store.sessions.end(callerOf(ctx).tokenHash, ctx.core.now());
    return { status: 204 };
  },
};
