/**
 * Hearing an escalated clip (`POST /v1/escalations/{opId}/clip`) and reporting playbacks
 * (`POST /v1/playbacks`). Only a supervisor of a team the escalating reviewer is a member of may
 * ask; anyone else is told there is no such escalation, so an insider learns nothing by probing.
 */
import { hearingClipRequestSchema, playbackReportSchema } from '../../shared/sync/hearing-messages';
import { opIdSchema } from '../../shared/sync/messages';
import { PACKAGE_MEDIA_TYPE, paths } from '../../shared/sync/protocol';
import { appendAudit } from '../audit';
import { packOneClip, requireHearableClip } from '../hearing';
import { HttpError, parseJson } from '../http';
import { requireSessionDevice, requireStaff } from './device.routes';
import type { Route } from './route';

const NO_SUCH_ESCALATION = 'No such escalation among your team’s.';

export const escalationClip: Route = {
  method: 'POST',
  path: paths.escalationClip(':opId'),
  auth: true,
  audit: 'escalation.clip',
  async handle(ctx) {
    const caller = requireStaff(ctx);
    const { keyId } = parseJson(ctx.body, hearingClipRequestSchema);
    requireSessionDevice(caller, keyId);
    if (caller.account.role !== 'supervisor') {
      throw new HttpError(403, 'forbidden', 'Escalated clips are heard by supervisors only.');
    }
    const opId = ctx.params['opId'] ?? '';
    const op = opIdSchema.safeParse(opId).success ? await ctx.core.store.hearings.escalationClip(opId) : undefined;
    const supervised = await ctx.core.store.teams.supervisedMembers(caller.account.account);
    if (!op || !supervised.some((m) => m.account === op.account)) {
      throw new HttpError(404, 'not_found', NO_SUCH_ESCALATION);
    }
    if (op.withdrawn) {
      throw new HttpError(410, 'clip_withdrawn', 'Consent for this clip was withdrawn; it cannot be heard.');
    }
    const batch = await requireHearableClip(ctx.core.store, ctx.core.now(), op.batchId, op.clipId);
    const bytes = await packOneClip(ctx.core, {
      kind: 'escalation',
      subject: opId,
      account: caller.account.account,
      keyId,
      batch,
      clipId: op.clipId,
      source: ctx.source,
      action: 'escalation.clip',
    });
    return { status: 200, bytes, contentType: PACKAGE_MEDIA_TYPE };
  },
};

/**
 * The client played a one-clip package it was given: recorded in the audit trail. Taken only
 * from the account and device the package was made for, while the package may still be held.
 */
export const reportPlayback: Route = {
  method: 'POST',
  path: paths.playbacks,
  auth: true,
  audit: 'clip.playback',
  async handle(ctx) {
    const caller = requireStaff(ctx);
    const report = parseJson(ctx.body, playbackReportSchema);
    const now = ctx.core.now();
    const grant = await ctx.core.store.hearings.findGrant(report.kind, report.subject, caller.account.account);
    if (!grant || grant.clipId !== report.clipId) {
      throw new HttpError(404, 'not_found', 'No clip was packed for you under that name.');
    }
    requireSessionDevice(caller, grant.keyId);
    if (grant.expiresAt <= now) {
      throw new HttpError(403, 'forbidden', 'That clip may no longer be held.');
    }
    await appendAudit(ctx.core.store, {
      at: now,
      actor: caller.account.account,
      source: ctx.source,
      action: 'clip.playback',
      subject: report.subject,
      detail: {
        kind: report.kind,
        keyId: grant.keyId,
        batchId: grant.batchId,
        clipId: grant.clipId,
        playedAt: report.playedAt,
      },
    });
    return { status: 204 };
  },
};
