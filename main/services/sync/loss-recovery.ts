/**
 * Noticing and repairing a service that lost acknowledged ops (restored from an older backup,
 * or announced so by an operator's restore notice). Three steps around the outbox drain of a
 * cycle:
 *
 * 1. {@link checkForLoss}: the service's figures for this device (highest `serverSeq`, count,
 *    epoch) against what it acknowledged here. Holding less, or a new epoch, is a loss.
 * 2. {@link resendAcknowledged}, only then: every acknowledged op still kept here goes up again
 *    in its original order (annotation revisions in revision order, so each one's base is there
 *    before it). Ops are idempotent by op id: what the service still has is a duplicate.
 * 3. {@link settleRecovery}, after the drain: the figures again. What the service still lacks
 *    could not be sent (its batch erased and past keeping, its work erased) and is reported as
 *    unrecoverable; the mark becomes what the service now holds, so that loss is not chased
 *    every cycle. Both outcomes go to the audit trail.
 */
import type { SyncRecovery } from '../../../shared/domain/sync';
import type { AuditEventType, DeviceOpsResponse } from '../../../shared/sync/messages';
import { MAX_OPS_PER_REQUEST } from '../../../shared/sync/protocol';
import type { OutboxRepository, OutboxRow } from '../../db/repositories/outbox.repository';
import type { SyncMarkRepository } from '../../db/repositories/sync-mark.repository';
import type { Logger } from '../../log/logger';
import { compareWithService, unrecoverableAfterResend, type LossCheck } from './loss-check';
import { buildAll, leadingRun, send, type DrainDeps } from './outbox-sender';
import type { SyncHttp } from './sync-http';

/** Acknowledged ops are kept for resending until their batch is erased and this long has passed. */
export const KEEP_ACKNOWLEDGED_MS = 14 * 24 * 60 * 60 * 1000;

/** Whose marks: the service (its origin) and the reviewer signed in. */
export type LossScope = { readonly service: string; readonly author: string };

export type LossDeps = {
  readonly http: SyncHttp;
  readonly outbox: OutboxRepository;
  readonly annotations: DrainDeps['annotations'];
  readonly syncMarks: SyncMarkRepository;
  readonly now: () => number;
  readonly logger: Logger;
  readonly audit: (type: AuditEventType) => void;
  /** Status moved: tell the window. */
  readonly changed: () => void;
};

export type ResendResult = {
  /** Ops the service lacked and stored again. */
  readonly resent: number;
  /** Ops it still had. */
  readonly duplicates: number;
  /** Ops it refused now (a conflict, or a clip or batch it no longer knows). */
  readonly refused: number;
};

/** The scope of a service URL's origin and a reviewer. */
export const lossScope = (serviceUrl: string, author: string): LossScope => ({
  service: new URL(serviceUrl).origin,
  author,
});

/** Records ops acknowledged for the first time in the mark: how many, and the highest `serverSeq`. */
export function countAcknowledged(
  marks: Pick<SyncMarkRepository, 'recordAcks'>,
  scope: LossScope,
  acked: readonly { readonly serverSeq: number | null }[],
): void {
  if (acked.length > 0) {
    const high = Math.max(0, ...acked.map((a) => a.serverSeq ?? 0));
    marks.recordAcks(scope.service, scope.author, acked.length, high);
  }
}

/**
 * Step 1: compares the service's figures (`figures`, from the batch list that opened the cycle)
 * with the marks; a loss is shown at once. `distrusted`:
 * the sealed copy of the marks was rolled back or altered (sealed-marks.ts), so what was
 * acknowledged is not known: the service counts as behind, and the loss as one that cannot be
 * ruled out.
 */
export function checkForLoss(d: LossDeps, figures: DeviceOpsResponse, scope: LossScope, distrusted = false): LossCheck {
  d.syncMarks.adoptEpoch(scope.service, scope.author, figures.epoch);
  const compared = compareWithService(d.syncMarks.mark(scope.service, scope.author), figures);
  const check: LossCheck = distrusted ? { behind: true, reasons: [...compared.reasons, 'sealed'] } : compared;
  if (distrusted) {
    d.audit('service_loss_unrecoverable');
  }
  if (check.behind) {
    d.logger.warn('sync: the service holds less than it acknowledged; resending', {
      reasons: check.reasons.join(','),
      serviceCount: figures.count,
      serviceHighSeq: figures.highSeq,
    });
    d.syncMarks.startRecovery(scope.service, scope.author);
    d.changed();
  }
  return check;
}

/** Step 2: sends every acknowledged op still kept again, oldest first, in runs of one kind. */
export async function resendAcknowledged(d: LossDeps, token: string, author: string): Promise<ResendResult> {
  let after = 0;
  let resent = 0;
  let duplicates = 0;
  let refused = 0;
  for (;;) {
    const run = leadingRun(d.outbox.acknowledged(author, after, MAX_OPS_PER_REQUEST, d.now() - KEEP_ACKNOWLEDGED_MS));
    if (!run) {
      return { resent, duplicates, refused };
    }
    after = (run.rows[run.rows.length - 1] as OutboxRow).seq;
    // Work that can no longer be rebuilt (erased) is not sent: it counts as unrecoverable if lost.
    const built = buildAll(d, run.rows).filter((b) => b.op !== null);
    const results = await send(d, token, run.kind, built);
    for (const r of results) {
      if (r.outcome === 'stored') {
        resent += 1;
      } else if (r.outcome === 'duplicate') {
        duplicates += 1;
      } else {
        refused += 1;
      }
    }
    d.changed();
  }
}

/** Step 3: the figures after the resend and the drain; the mark follows them and the outcome is kept. */
export async function settleRecovery(
  d: LossDeps,
  token: string,
  scope: LossScope,
  resend: ResendResult,
): Promise<SyncRecovery> {
  const before = d.syncMarks.mark(scope.service, scope.author);
  const figures = await d.http.deviceOps(token);
  const unrecoverable = unrecoverableAfterResend(before.acked, figures.count);
  const at = d.now();
  d.syncMarks.settleRecovery(scope.service, scope.author, {
    epoch: figures.epoch,
    highSeq: figures.highSeq,
    acked: before.acked - unrecoverable,
    resent: resend.resent,
    unrecoverable,
    at,
  });
  if (resend.resent > 0) {
    d.audit('service_loss_recovered');
  }
  if (unrecoverable > 0) {
    d.audit('service_loss_unrecoverable');
  }
  d.logger.info('sync: resend after a service loss done', {
    resent: resend.resent,
    duplicates: resend.duplicates,
    refused: resend.refused,
    unrecoverable,
  });
  d.changed();
  return d.syncMarks.recovery(scope.service, scope.author);
}

/** The status of the last loss found with `serviceUrl` for `author`. */
export function recoveryStatus(
  marks: Pick<SyncMarkRepository, 'recovery'>,
  serviceUrl: string | null,
  author: string | null,
): SyncRecovery {
  return serviceUrl && author
    ? marks.recovery(lossScope(serviceUrl, author).service, author)
    : { state: 'none', resent: 0, unrecoverable: 0, at: null };
}
