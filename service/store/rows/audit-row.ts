/** Audit events as both stores read them, and how a row becomes the repository's type. */
import type { AuditEvent, AuditRow } from '../audit-repository';

export type RawAuditEvent = {
  seq: number;
  at: number;
  actor: string | null;
  source: string;
  action: string;
  outcome: 'ok' | 'refused';
  code: string | null;
  subject: string | null;
  detail: string;
};

export const toAuditRow = (r: RawAuditEvent): AuditRow => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  source: r.source,
  action: r.action,
  outcome: r.outcome,
  code: r.code,
  subject: r.subject,
  detail: JSON.parse(r.detail) as AuditEvent['detail'],
});
