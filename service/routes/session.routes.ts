/** Sign-in with password and TOTP, sign-out. */
import { signInRequestSchema, type SignInResponse } from '../../shared/sync/messages';
import { paths } from '../../shared/sync/protocol';
import { hashPassword, newToken, totpCounter, verifyPassword } from '../auth';
import { HttpError, parseJson } from '../http';
import { callerOf, type Route } from './route';

/** After this many failures in a row an account is locked for {@link LOCK_MS}. */
export const MAX_FAILURES = 5;
export const LOCK_MS = 5 * 60 * 1000;

const BAD = 'The account, password or one-time code is wrong.';

// Unknown accounts still cost one scrypt, so timing does not tell which accounts exist.
let dummyHash: Promise<string> | undefined;

export const signIn: Route = {
  method: 'POST',
  path: paths.sessions,
  auth: false,
  async handle({ core, body }) {
    const request = parseJson(body, signInRequestSchema);
    const now = core.now();
    const account = await core.store.accounts.find(request.account);
    if (account && account.lockedUntil > now) {
      const seconds = Math.ceil((account.lockedUntil - now) / 1000);
      throw new HttpError(429, 'rate_limited', 'Too many failed sign-ins; try again later.', {
        'retry-after': String(seconds),
      });
    }
    dummyHash ??= hashPassword('not a password');
    const passwordOk = await verifyPassword(request.password, account?.passwordHash ?? (await dummyHash));
    const counter = account ? totpCounter(account.totpSecret, request.totp, now) : null;
    const { token, hash } = newToken();
    const expiresAt = now + core.tokenTtlMs;
    // A code is good once: replaying one already used (or an older one) fails like a wrong code.
    // The counter is checked again on the account as it is now, in the unit of work that spends
    // the code and opens the session, so two sign-ins racing with one code cannot both succeed.
    const signedIn =
      account !== undefined &&
      passwordOk &&
      counter !== null &&
      (await core.store.transaction(async (tx) => {
        const current = await tx.accounts.find(account.account);
        if (!current || counter <= current.totpLastCounter) {
          return false;
        }
        await tx.accounts.recordSuccess(account.account, counter);
        await tx.sessions.add(hash, account.account, now, expiresAt);
        return true;
      }));
    if (!signedIn) {
      if (account) {
        // Counted on the account as it is now, so failures racing each other all count.
        await core.store.transaction(async (tx) => {
          const failures = ((await tx.accounts.find(account.account))?.failedAttempts ?? 0) + 1;
          await tx.accounts.recordFailure(account.account, failures, failures >= MAX_FAILURES ? now + LOCK_MS : 0);
        });
      }
      throw new HttpError(401, 'bad_credentials', BAD);
    }
    const response: SignInResponse = {
      token,
      expiresAt,
      identity: { pseudonym: account.pseudonym, role: account.role },
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
