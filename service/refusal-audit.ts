/** Writing a refused request to the audit trail, within the caller's budget. */
import { appendAudit } from './audit';
import type { Core } from './core';
import type { HttpError } from './http';
import { REFUSAL_AUDIT_WINDOW_MS, REFUSAL_AUDITS_PER_WINDOW } from './refusal-audit-budget';
import type { RequestState } from './request-record';

/**
 * Refusals of audited routes (and every operator route) land in the audit trail with their code,
 * up to each caller's budget (refusal-audit-budget.ts).
 */
export async function auditRefusal(core: Core, state: RequestState, error: HttpError): Promise<void> {
  const action = state.route?.audit ?? (state.route?.operator ? 'admin.request' : null);
  if (!action || error.audited) {
    return;
  }
  const actor = state.caller?.account.account ?? null;
  const now = core.now();
  const verdict = core.refusalAudits.take(
    actor === null ? { source: state.source } : { account: actor },
    now,
    `${action} ${error.code}`,
  );
  if (verdict === 'skip') {
    return;
  }
  await appendAudit(core.store, {
    at: now,
    actor,
    source: state.source,
    action,
    outcome: 'refused',
    code: verdict === 'note' ? 'audit_throttled' : error.code,
    subject: state.caller?.session.keyId ?? null,
    ...(verdict === 'note'
      ? { detail: { code: error.code, limit: REFUSAL_AUDITS_PER_WINDOW, windowMs: REFUSAL_AUDIT_WINDOW_MS } }
      : {}),
  });
}
