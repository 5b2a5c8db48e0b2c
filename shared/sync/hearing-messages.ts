/**
 * Hearing one clip outside a checkout (docs/sync-protocol.md, "Hearing one clip" and "Second
 * listen"): a supervisor hears a clip a reviewer of their team escalated, and a teammate hears a
 * clip a reviewer asked a second listen on. Either way the service packs that one clip for the
 * caller's approved device, in the batch package format, and the client reports each playback.
 *
 * A second-listen request names the clip, the requester's span as character offsets in their own
 * transcript (so the answer lands there) and the stretch of audio to hear; never transcript text.
 * The helper is shown the clip and the stretch only; the proposal they write goes to the
 * requester alone.
 */
import { z } from 'zod';
import { batchIdSchema, clipIdSchema } from '../ipc/schemas';
import {
  audioWindowSchema,
  listenDecisions,
  listenRequestIdSchema,
  MAX_PROPOSAL_CHARS,
  textSpanSchema,
} from './hearing-fields';
import { timingPseudonymSchema } from './timing-records';
import { keyIdSchema } from './wire-formats';

export * from './hearing-fields';

const epochMs = z.int().min(0);

/** How long a one-clip package may be held, at most (less when its batch expires sooner). */
export const HEARING_TTL_MS = 30 * 60 * 1000;

/**
 * How many second-listen requests one reviewer may have waiting for an answer (on batches still
 * running) at a time: beyond that a new one is refused until one is answered or its batch ends.
 */
export const MAX_PENDING_LISTEN_REQUESTS = 50;

/** The most requests one answer lists (the team queue, a requester's own). */
export const MAX_LISTEN_LIST = 1_000;

/** POST /v1/escalations/{opId}/clip and POST /v1/listen-requests/{id}/clip: the device to pack for. */
export const hearingClipRequestSchema = z.strictObject({ keyId: keyIdSchema });
export type HearingClipRequest = z.infer<typeof hearingClipRequestSchema>;

/** What was heard: an escalation (its op id) or a second-listen request (its id). */
export const hearingKinds = ['escalation', 'second_listen'] as const;
export type HearingKind = (typeof hearingKinds)[number];

/** POST /v1/playbacks: the client reports that it played a one-clip package it was given. */
export const playbackReportSchema = z.strictObject({
  kind: z.enum(hearingKinds),
  subject: z.uuid(),
  clipId: clipIdSchema,
  /** When playback started, on the workstation's clock. */
  playedAt: epochMs,
});
export type PlaybackReport = z.infer<typeof playbackReportSchema>;

/** POST /v1/listen-requests: the requester asks their teams for a second listen. */
export const newListenRequestSchema = z.strictObject({
  requestId: listenRequestIdSchema,
  batchId: batchIdSchema,
  clipId: clipIdSchema,
  span: textSpanSchema,
  window: audioWindowSchema,
});
export type NewListenRequest = z.infer<typeof newListenRequestSchema>;

/**
 * Where a request stands: `open` (nobody took it), `taken`, `answered` (a proposal waits),
 * `accepted` or `ignored` by the requester; `expired` once its batch expired or was revoked;
 * `withdrawn` once the clip's consent was.
 */
export const listenRequestStates = [
  'open',
  'taken',
  'answered',
  'accepted',
  'ignored',
  'expired',
  'withdrawn',
] as const;
export type ListenRequestState = (typeof listenRequestStates)[number];

/** A request as the team queue shows it to a possible helper: no offsets into anyone's text. */
export const listenQueueItemSchema = z.strictObject({
  requestId: listenRequestIdSchema,
  requester: timingPseudonymSchema,
  batchId: batchIdSchema,
  clipId: clipIdSchema,
  window: audioWindowSchema,
  state: z.enum(listenRequestStates),
  /** True when the caller is the one who took it. */
  takenByMe: z.boolean(),
  createdAt: epochMs,
  expiresAt: epochMs,
  /** The caller's own proposal, once made. */
  proposal: z.string().max(MAX_PROPOSAL_CHARS).nullable(),
});
export type ListenQueueItem = z.infer<typeof listenQueueItemSchema>;

/** GET /v1/listen-requests: the team queue, oldest first. */
export const listenQueueResponseSchema = z.strictObject({
  requests: z.array(listenQueueItemSchema).max(MAX_LISTEN_LIST),
});
export type ListenQueueResponse = z.infer<typeof listenQueueResponseSchema>;

/** A request as its requester sees it, with the answer when there is one. */
export const ownListenRequestSchema = z.strictObject({
  requestId: listenRequestIdSchema,
  batchId: batchIdSchema,
  clipId: clipIdSchema,
  span: textSpanSchema,
  window: audioWindowSchema,
  state: z.enum(listenRequestStates),
  createdAt: epochMs,
  expiresAt: epochMs,
  /** Who answered (their pseudonym) and what they propose for the span. */
  helper: timingPseudonymSchema.nullable(),
  proposal: z.string().max(MAX_PROPOSAL_CHARS).nullable(),
});
export type OwnListenRequest = z.infer<typeof ownListenRequestSchema>;

/** GET /v1/me/listen-requests: the caller's own requests, newest first. */
export const ownListenRequestsResponseSchema = z.strictObject({
  requests: z.array(ownListenRequestSchema).max(MAX_LISTEN_LIST),
});
export type OwnListenRequestsResponse = z.infer<typeof ownListenRequestsResponseSchema>;

/** POST /v1/listen-requests/{id}/proposal: the taker's text for the span. */
export const listenProposalSchema = z.strictObject({ text: z.string().trim().min(1).max(MAX_PROPOSAL_CHARS) });
export type ListenProposal = z.infer<typeof listenProposalSchema>;

/** POST /v1/listen-requests/{id}/decision: what the requester did with the proposal. */
export const listenDecisionSchema = z.strictObject({ decision: z.enum(listenDecisions) });
export type ListenDecision = z.infer<typeof listenDecisionSchema>;

const isoTime = z.iso.datetime({ offset: true, message: 'an ISO 8601 date and time, such as 2025-03-04T09:30:00Z' });

/** The query of GET /v1/team/second-listens: the window, the last seven days unless given. */
export const teamSecondListensQuerySchema = z.strictObject({ from: isoTime.optional(), to: isoTime.optional() });
export type TeamSecondListensQuery = z.infer<typeof teamSecondListensQuerySchema>;

/** GET /v1/team/second-listens: per member of the caller's teams, requests made and answers given. */
export const teamSecondListensResponseSchema = z.strictObject({
  from: epochMs,
  to: epochMs,
  reviewers: z
    .array(
      z.strictObject({
        pseudonym: timingPseudonymSchema,
        /** Second listens this reviewer asked for, made within [from, to). */
        requested: z.int().min(0),
        /** Of those, how many got a proposal. */
        answeredForThem: z.int().min(0),
        /** Proposals this reviewer wrote for teammates, made within [from, to). */
        answered: z.int().min(0),
      }),
    )
    .max(10_000),
});
export type TeamSecondListensResponse = z.infer<typeof teamSecondListensResponseSchema>;
