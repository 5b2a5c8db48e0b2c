/** Writing the service's own audit trail: one row per security-relevant act, who, when and from where. */
import type { AuditEvent, Repositories } from './store/repositories';

/** Where an act came from on the admin CLI (the service host itself). */
export const CLI_SOURCE = 'cli';

export type AuditInput = Omit<AuditEvent, 'detail' | 'code' | 'subject' | 'outcome'> & {
  readonly outcome?: AuditEvent['outcome'];
  readonly code?: string | null;
  readonly subject?: string | null;
  readonly detail?: AuditEvent['detail'];
};

/** Appends one row through `repos` (the store, or a unit of work so it commits with the act). */
export function appendAudit(repos: Pick<Repositories, 'audit'>, e: AuditInput): Promise<void> {
  return repos.audit.append({
    at: e.at,
    actor: e.actor,
    source: e.source,
    action: e.action,
    outcome: e.outcome ?? 'ok',
    code: e.code ?? null,
    subject: e.subject ?? null,
    detail: e.detail ?? {},
  });
}
