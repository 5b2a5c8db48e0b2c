/** Issuing one-time enrolment codes: the managed-desktop path to an approved device. */
import { enrolmentCodeLimits } from '../shared/sync/protocol';
import { appendAudit } from './audit';
import { newEnrolmentCode } from './auth';
import type { Core } from './core';
import type { Actor } from './devices';
import { HttpError } from './http';

/**
 * Issues `count` codes for one reviewer or supervisor account, each valid once for `ttlMs`
 * (24 h by default), in one unit of work. Only their hashes are stored: the codes are shown to
 * the operator this once.
 */
export async function issueEnrolmentCodes(
  core: Core,
  by: Actor,
  account: string,
  o: { readonly count?: number; readonly ttlMs?: number } = {},
): Promise<{ codes: string[]; expiresAt: number }> {
  const now = core.now();
  const expiresAt = now + (o.ttlMs ?? enrolmentCodeLimits.defaultTtlMs);
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
  const issued = Array.from({ length: o.count ?? 1 }, () => newEnrolmentCode(enrolmentCodeLimits.bytes));
  await core.store.transaction(async (tx) => {
    for (const { hash } of issued) {
      await tx.enrolmentCodes.add({ codeHash: hash, account, issuedBy: by.operator, issuedAt: now, expiresAt });
      await appendAudit(tx, { ...base, detail: { expiresAt } });
    }
  });
  return { codes: issued.map((c) => c.code), expiresAt };
}

/** Issues one code; see {@link issueEnrolmentCodes}. */
export async function issueEnrolmentCode(
  core: Core,
  by: Actor,
  account: string,
  ttlMs: number = enrolmentCodeLimits.defaultTtlMs,
): Promise<{ code: string; expiresAt: number }> {
  const { codes, expiresAt } = await issueEnrolmentCodes(core, by, account, { ttlMs });
  return { code: codes[0] ?? '', expiresAt };
}
