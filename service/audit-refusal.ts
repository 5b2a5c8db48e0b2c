/** Audit rows for requests the service refused: who (when known), from where, what and why. */
import type { IncomingMessage } from 'node:http';
import type { Core } from './core';
import type { HttpError } from './http';
import type { AuditEvent } from './store/repositories';

/** Where a request came from, as the audit trail names it: the peer's address. */
export const sourceOf = (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';

/**
 * Records that `action` was refused with `error`'s code. The refusal is answered whatever happens
 * here: a store that cannot take the row must not turn a 4xx into a 500.
 */
export async function auditRefusal(
  core: Core,
  req: IncomingMessage,
  action: string,
  actor: string | null,
  error: HttpError,
  detail: AuditEvent['detail'] = {},
): Promise<void> {
  try {
    await core.store.audit.append({
      at: core.now(),
      actor,
      source: sourceOf(req),
      action,
      outcome: 'refused',
      code: error.code,
      subject: null,
      detail: { status: error.status, ...detail },
    });
  } catch {
    // The refusal stands; the audit trail is best effort here (the store may be closing).
  }
}
