/** The service's audit trail as the store keeps it: who did what, when, from where. */

/** What an audit row records; `detail` holds ids, codes and counts only, never clip content. */
export type AuditEvent = {
  readonly at: number;
  /** Who acted: an account name, or null when nobody was identified (a refused sign-in). */
  readonly actor: string | null;
  /** Where from: the peer address for HTTP, `cli` for the admin CLI on the service host. */
  readonly source: string;
  /** What was attempted, as a dotted name: `device.enrol`, `batch.checkout`, `admin.devices.approve`. */
  readonly action: string;
  readonly outcome: 'ok' | 'refused';
  /** The error code of a refusal; null when it went through. */
  readonly code: string | null;
  /** What it was done to: a key id, batch id, clip id or account; null when nothing in particular. */
  readonly subject: string | null;
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
};

export type AuditRow = AuditEvent & { readonly seq: number };

/** The service's append-only audit trail. */
export type AuditRepository = {
  append(e: AuditEvent): Promise<void>;
  /** Rows after `afterSeq`, oldest first, at most `limit`; optionally of one action only. */
  list(q: { readonly afterSeq: number; readonly limit: number; readonly action?: string }): Promise<AuditRow[]>;
};
