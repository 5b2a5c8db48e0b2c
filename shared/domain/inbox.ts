/**
 * The escalation inbox as the app shows it: a supervisor's escalations from the service with
 * the answers still waiting on this workstation, and a reviewer's own escalations with the
 * guidance they were given (docs/sync-protocol.md, "Escalation inbox").
 */
import type { EscalationAction, EscalationStatus, InboxEscalation, MyEscalation } from '../sync/escalation-inbox';

export type { EscalationAction, EscalationStatus, InboxEscalation, MyEscalation };

/** What a supervisor answers; the response id is made in main when it is queued. */
export type InboxAnswer =
  | { readonly action: 'acknowledge' }
  | { readonly action: 'refer'; readonly to: string }
  | { readonly action: 'close'; readonly reason: string }
  | { readonly action: 'guidance'; readonly text: string };

/** An answer given on this workstation that the service does not hold yet, or refused. */
export type QueuedAnswer = {
  readonly responseId: string;
  readonly opId: string;
  readonly action: EscalationAction;
  readonly createdAt: number;
  readonly state: 'pending' | 'refused';
  /** The service's code for a refusal (`conflict`, `not_found`, …); null while pending. */
  readonly problem: string | null;
};

/** One inbox page: from the service when `online`, else the last one fetched in this session. */
export type InboxView = {
  readonly online: boolean;
  /** When the service answered; null when it never did in this session. */
  readonly fetchedAt: number | null;
  readonly status: EscalationStatus;
  readonly urgentAfterMs: number;
  readonly referralTargets: readonly string[];
  readonly escalations: readonly InboxEscalation[];
  readonly queued: readonly QueuedAnswer[];
};

/** A reviewer's own escalations; `unseen` counts those answered since they last looked. */
export type MyEscalationsView = {
  readonly online: boolean;
  readonly escalations: readonly MyEscalation[];
  readonly unseen: number;
};

/** What the top bar counts: open escalations for a supervisor, new answers for a reviewer. */
export type InboxBadge = {
  readonly open: number;
  readonly urgent: number;
  readonly unseen: number;
};
