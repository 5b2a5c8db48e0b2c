/**
 * What the service keeps of the escalation inbox: the escalations reviewers sent (read from the
 * ops they arrived as), supervisors' answers to them, and the operator's inbox settings.
 */
import type { EscalationCategory } from '../../shared/domain/annotation';
import type { EscalationAction, EscalationStatus, InboxSettings } from '../../shared/sync/escalation-inbox';

/** One escalation as stored: the reviewer's op, its current status and who sent it. */
export type EscalationRow = {
  readonly opId: string;
  readonly account: string;
  readonly pseudonym: string;
  readonly batchId: string;
  readonly clipId: string;
  readonly category: EscalationCategory;
  readonly note: string;
  readonly createdAt: number;
  readonly receivedAt: number;
  readonly status: EscalationStatus;
  /** When an answer last changed it; null while nobody answered. */
  readonly updatedAt: number | null;
};

/** One answer as stored: `body` is its canonical JSON (without the id), `bodyHash` that text's SHA-256. */
export type EscalationResponseRow = {
  readonly responseId: string;
  readonly opId: string;
  readonly account: string;
  readonly pseudonym: string;
  readonly action: EscalationAction;
  readonly body: string;
  readonly bodyHash: Buffer;
  readonly statusAfter: EscalationStatus;
  readonly at: number;
};

/** One operator setting and its new value. */
export type InboxSettingChange = {
  readonly [K in keyof InboxSettings]: { readonly key: K; readonly value: InboxSettings[K] };
}[keyof InboxSettings];

export type NewEscalationResponse = Omit<EscalationResponseRow, 'pseudonym'>;

/**
 * Escalations and their answers. An escalation of a withdrawn clip (its op erased) is no longer
 * listed nor found. An answer's id is kept for good.
 */
export type EscalationRepository = {
  /** Every escalation in `status`, oldest first (by when the reviewer saved it). */
  withStatus(status: EscalationStatus): Promise<EscalationRow[]>;
  /**
   * The `limit` escalations closed last, newest first (those closed at one instant oldest first,
   * as `withStatus` orders them), of `accounts` or answered by `answeredBy`: what one supervisor
   * may see of the closed ones.
   */
  closedSeenBy(accounts: readonly string[], answeredBy: string, limit: number): Promise<EscalationRow[]>;
  /** One account's escalations, oldest first. */
  ofAccount(account: string): Promise<EscalationRow[]>;
  find(opId: string): Promise<EscalationRow | undefined>;
  /** The answers to these escalations, in the order they were given. */
  responses(opIds: readonly string[]): Promise<EscalationResponseRow[]>;
  findResponse(responseId: string): Promise<EscalationResponseRow | undefined>;
  /** Stores an answer and sets its escalation's status to `statusAfter`. */
  addResponse(r: NewEscalationResponse): Promise<void>;
  /** The operator's settings, with the defaults for what was never set. */
  settings(): Promise<InboxSettings>;
  /** Sets one setting (already checked against its schema). */
  setSetting(change: InboxSettingChange, at: number, by: string): Promise<void>;
};
