/** `admin bootstrap`: the first operator, made only while there is none. */
import { randomBytes } from 'node:crypto';
import { appendAudit, CLI_SOURCE } from '../audit';
import { hashPassword, newTotpSecret, totpUri } from '../auth';
import type { Core } from '../core';
import { NameTakenError } from '../store/repositories';
import { UsageError } from './command';
import { MIN_PASSWORD_CHARS, PASSWORD_ENV, type Prompt } from './credentials';

/**
 * Creates operator `name` with a password from EARMARK_OPERATOR_PASSWORD or the prompt, and prints
 * its TOTP URI this once. Refused (exit 1) when any operator exists: from then on operators are
 * created by operators (`accounts create … --role operator`).
 */
export async function bootstrap(
  core: Core,
  name: string,
  env: NodeJS.ProcessEnv,
  prompt: Prompt,
  out: (line: string) => void,
): Promise<number> {
  const password = env[PASSWORD_ENV] ?? (await prompt('New operator password: ', true));
  if (password.length < MIN_PASSWORD_CHARS) {
    throw new UsageError(`The operator password needs at least ${MIN_PASSWORD_CHARS} characters.`);
  }
  const passwordHash = await hashPassword(password);
  const totpSecret = newTotpSecret();
  const now = core.now();
  const base = { at: now, actor: name, source: CLI_SOURCE, action: 'admin.bootstrap', subject: name } as const;
  const created = await core.store
    .transaction(async (tx) => {
      if ((await tx.accounts.operatorCount()) > 0 || (await tx.accounts.find(name))) {
        return false;
      }
      await tx.accounts.addOperator({
        account: name,
        pseudonym: `op-${randomBytes(3).toString('hex')}`,
        passwordHash,
        totpSecret,
        createdAt: now,
        createdBy: null,
      });
      await appendAudit(tx, base);
      return true;
    })
    // Another process took the name since the check above: refused like any taken name.
    .catch((error: unknown) => {
      if (error instanceof NameTakenError) {
        return false;
      }
      throw error;
    });
  if (!created) {
    await appendAudit(core.store, { ...base, actor: null, outcome: 'refused', code: 'conflict' });
    out('An operator exists already (or the name is taken); ask an operator to create your account.');
    return 1;
  }
  out(`operator "${name}" created.`);
  out(`TOTP (shown this once; add it to an authenticator app now): ${totpUri(totpSecret, name)}`);
  return 0;
}
