/**
 * The signed-in reviewer's audit trail: each event becomes an outbox op the sender delivers like
 * any other. Nobody signed in (demo mode): nothing is recorded.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEventType } from '../../../shared/sync/messages';
import type { OutboxRepository } from '../../db/repositories/outbox.repository';

export type SyncAuditDeps = {
  readonly outbox: Pick<OutboxRepository, 'add'>;
  /** The signed-in reviewer's pseudonym, or null. */
  readonly author: () => string | null;
  readonly now: () => number;
};

/** Records an audit event for the signed-in reviewer, about a batch or another op when given. */
export type SyncAudit = (type: AuditEventType, batchId?: string | null, refOpId?: string | null) => void;

export function createSyncAudit(d: SyncAuditDeps): SyncAudit {
  return (type, batchId = null, refOpId = null) => {
    const who = d.author();
    if (who) {
      d.outbox.add({
        opId: randomUUID(),
        kind: 'audit',
        author: who,
        batchId,
        clipId: null,
        revision: null,
        auditType: type,
        refOpId,
        createdAt: d.now(),
      });
    }
  };
}
