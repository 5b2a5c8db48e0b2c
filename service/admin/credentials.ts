/**
 * How the admin CLI learns who is acting: the operator's name from `--operator`, the password and
 * current TOTP code from EARMARK_OPERATOR_PASSWORD / EARMARK_OPERATOR_TOTP (for scripts) or, when
 * those are unset, from a prompt on the terminal that does not echo the password. The check is the
 * same as the HTTP sign-in's: counted first against (name, `cli`), TOTP step spent once.
 */
import { appendAudit, CLI_SOURCE } from '../audit';
import { totpCounter, verifyPassword } from '../auth';
import type { Core } from '../core';
import type { Actor } from '../devices';
import { admitSignIn, retryAfterSeconds } from '../sign-in-throttle';

export const PASSWORD_ENV = 'EARMARK_OPERATOR_PASSWORD';
export const TOTP_ENV = 'EARMARK_OPERATOR_TOTP';
export const MIN_PASSWORD_CHARS = 12;

/** Asks one question on the terminal; `hidden` does not echo the answer. */
export type Prompt = (question: string, hidden: boolean) => Promise<string>;

/** A refusal of the operator's credentials; the CLI prints it and exits 1. */
export class OperatorAuthError extends Error {
  override readonly name = 'OperatorAuthError';
}

/** The password and code from the environment, or asked for. */
export async function readSecrets(env: NodeJS.ProcessEnv, prompt: Prompt): Promise<{ password: string; totp: string }> {
  const password = env[PASSWORD_ENV] ?? (await prompt('Operator password: ', true));
  const totp = env[TOTP_ENV] ?? (await prompt('Current one-time code: ', false));
  return { password, totp: totp.trim() };
}

/** Checks an operator's credentials on the service host; every attempt is audited. */
export async function signInOperator(core: Core, name: string, password: string, totp: string): Promise<Actor> {
  const now = core.now();
  const base = { at: now, source: CLI_SOURCE, action: 'admin.sign_in', subject: name } as const;
  const verdict = await core.store.transaction((tx) => admitSignIn(tx, name, CLI_SOURCE, now));
  if (!verdict.allowed) {
    await appendAudit(core.store, { ...base, actor: null, outcome: 'refused', code: 'rate_limited' });
    throw new OperatorAuthError(`Too many failed sign-ins; try again in ${retryAfterSeconds(verdict.retryAfterMs)} s.`);
  }
  const account = await core.store.accounts.find(name);
  const passwordOk = account ? await verifyPassword(password, account.passwordHash) : false;
  const counter = account && /^[0-9]{6}$/.test(totp) ? totpCounter(account.totpSecret, totp, now) : null;
  const ok =
    account?.role === 'operator' &&
    account.disabledAt === null &&
    passwordOk &&
    counter !== null &&
    (await core.store.transaction(async (tx) => {
      if (!(await tx.accounts.spendTotp(name, counter))) {
        return false;
      }
      await tx.signIns.clearPair(name, CLI_SOURCE);
      await appendAudit(tx, { ...base, actor: name });
      return true;
    }));
  if (!ok) {
    await appendAudit(core.store, { ...base, actor: null, outcome: 'refused', code: 'bad_credentials' });
    throw new OperatorAuthError('The operator name, password or one-time code is wrong.');
  }
  return { operator: name, source: CLI_SOURCE };
}
