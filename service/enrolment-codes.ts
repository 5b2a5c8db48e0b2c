/** Issuing one-time enrolment codes: the managed-desktop path to an approved device. */
import { enrolmentCodeLimits } from '../shared/sync/protocol';
import { appendAudit } from './audit';
import { newEnrolmentCode } from './auth';
import type { Core } from './core';
import type { Actor } from './devices';
import { HttpError } from './http';

/**
 * Issues a code for one reviewer or supervisor account, valid once for `ttlMs` (24 h by
 * default). Only its hash is stored: the code is shown to the operator this once.
 */
export async function issueEnrolmentCode(
  core: Core,
  by: Actor,
  account: string,
  ttlMs: number = enrolmentCodeLimits.defaultTtlMs,
): Promise<{ code: string; expiresAt: number }> {
  const now = core.now();
  const { code, hash } = newEnrolmentCode(enrolmentCodeLimits.bytes);
  const expiresAt = now + ttlMs;
  const base = {
    at: now,
    actor: by.operator,
    source: by.source,
    action: 'admin.enrolment_codes.issue',
    subject: account,
  };
  const target = await core.store.accounts.find(account);
  if (!target || target.role === 'operator') {
    await appendAudit(core.store, { ...base, outcome: 'refused', code: 'not_found' });
    throw new HttpError(404, 'not_found', `No reviewer or supervisor account "${account}".`, {}, true);
  }
  await core.store.transaction(async (tx) => {
    await tx.enrolmentCodes.add({ codeHash: hash, account, issuedBy: by.operator, issuedAt: now, expiresAt });
    await appendAudit(tx, { ...base, detail: { expiresAt } });
  });
  return { code, expiresAt };
}
