/**
 * An escalation's age as the inbox shows it: the service's age when it answered, moved on by the
 * time since, so the inbox needs to ask the service only when it refreshes.
 */
import type { InboxEscalation } from '../../shared/domain/inbox';

export type Age = { readonly ageMs: number; readonly urgent: boolean };

/** The age at `now`, and whether it is past the operator's urgent time (or the service said so). */
export function ageAt(
  e: Pick<InboxEscalation, 'ageMs' | 'urgent'>,
  fetchedAt: number,
  urgentAfterMs: number,
  now: number,
): Age {
  const ageMs = e.ageMs + Math.max(0, now - fetchedAt);
  return { ageMs, urgent: e.urgent || (urgentAfterMs > 0 && ageMs >= urgentAfterMs) };
}
