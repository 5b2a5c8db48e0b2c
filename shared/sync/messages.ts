/* eslint-disable max-lines -- every body of the protocol in one file, so client and service read each
   exchange in one place; the hand-over bodies already live beside it (./hand-over-messages.ts). */
/**
 * The body of every request and response of the annotation service protocol (see ./protocol.ts
 * and docs/sync-protocol.md), as strict zod schemas: an unknown field is refused on both sides.
 * Times are whole milliseconds since the Unix epoch.
 */
import { z } from 'zod';
import { criticalCategories, dispositions, escalationCategories } from '../domain/annotation';
import { batchStatuses } from '../domain/batch';
import { roles } from '../domain/session';
import { MAX_CLIPS } from '../batch-package/limits';
import { batchIdSchema, clipIdSchema, MAX_NOTE_CHARS, MAX_SPANS, MAX_TRANSCRIPT_CHARS } from '../ipc/schemas';
import {
  MAX_OPS_PER_REQUEST,
  MAX_TIMING_RECORDS_PER_REQUEST,
  opOutcomes,
  opResultCodes,
  batchHolders,
  protocolErrorCodes,
  faultNames,
  serviceDeviceStates,
} from './protocol';
import { pseudonymSchema, signedIdentitySchema, signedServiceTimeSchema, timeNonceSchema } from './service-statements';
import { timingRecordSchema } from './timing-records';
import { base64Bytes, keyIdSchema } from './wire-formats';

const epochMs = z.int().min(0);

export { base64Bytes, keyIdSchema } from './wire-formats';

export * from './service-statements';

/** Op ids are random UUIDs, one per annotation revision, escalation or audit event. */
export const opIdSchema = z.uuid();

// ---------------------------------------------------------------------------------------------
// Errors

/** Every non-2xx JSON response. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({ code: z.enum(protocolErrorCodes), message: z.string().max(1_000) }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

// ---------------------------------------------------------------------------------------------
// Sign-in and devices

/** POST /v1/sessions/challenge: a one-time value the device signs at sign-in. */
export const challengeResponseSchema = z.strictObject({
  challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a challenge is 32 bytes, base64url'),
  expiresAt: epochMs,
});
export type ChallengeResponse = z.infer<typeof challengeResponseSchema>;

/**
 * POST /v1/sessions: password, a current TOTP code, and proof that the caller holds the device's
 * Ed25519 signing key: `signature` over {@link signInProofMessage} of the challenge, the account
 * name as sent and the device key id. The session is bound to that device key.
 */
export const signInRequestSchema = z.strictObject({
  account: z.string().min(1).max(128),
  password: z.string().min(1).max(1_024),
  totp: z.string().regex(/^[0-9]{6}$/, 'a one-time code is 6 digits'),
  challenge: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'a challenge is 32 bytes, base64url'),
  device: z.strictObject({ keyId: keyIdSchema, signingKey: base64Bytes(32) }),
  signature: base64Bytes(64),
  /** Signed back in the answer's service time, so that answer cannot be replayed later. */
  nonce: timeNonceSchema,
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

/** Roles a session may have: the app's two, and `operator`, which the app refuses (operators use the admin CLI). */
export const sessionRoles = [...roles, 'operator'] as const;
export type SessionRole = (typeof sessionRoles)[number];

export const identitySchema = z.strictObject({
  pseudonym: pseudonymSchema,
  role: z.enum(sessionRoles),
});

/**
 * The session a sign-in opens: a bearer token that stops working at `expiresAt` (service time),
 * the signed identity and service time, and the service's Ed25519 public key (raw, base64) that
 * signed them: an admin policy pins it, a development workstation takes it on first use.
 */
export const signInResponseSchema = z.strictObject({
  token: z.string().min(32).max(256),
  expiresAt: epochMs,
  identity: identitySchema,
  signingKey: base64Bytes(32),
  serviceTime: signedServiceTimeSchema,
  signedIdentity: signedIdentitySchema,
});
export type SignInResponse = z.infer<typeof signInResponseSchema>;

/**
 * An enrolment code as an operator hands it out: 16 base32 characters, usually grouped by
 * dashes; case, spaces and dashes are ignored.
 */
export const enrolmentCodeSchema = z
  .string()
  .max(64)
  .regex(/^[0-9A-Za-z\s-]+$/, 'an enrolment code is letters, digits and dashes')
  .refine((s) => s.replace(/[\s-]/g, '').length === 16, 'an enrolment code has 16 letters or digits');

/** POST /v1/devices: the workstation's public keys, raw, base64; must be the key the session signed in with. */
export const enrolRequestSchema = z.strictObject({
  keyId: keyIdSchema,
  /** X25519: batch keys are wrapped for it. */
  encryptionKey: base64Bytes(32),
  /** Ed25519: results packages and sign-in challenges are signed with it. */
  signingKey: base64Bytes(32),
  /** An operator-issued one-time code for this account: the device is approved at once. */
  enrolmentCode: enrolmentCodeSchema.optional(),
});
export type EnrolRequest = z.infer<typeof enrolRequestSchema>;

export const enrolResponseSchema = z.strictObject({
  keyId: keyIdSchema,
  enrolledAt: epochMs,
  state: z.enum(serviceDeviceStates),
});
export type EnrolResponse = z.infer<typeof enrolResponseSchema>;

/** GET /v1/devices/current: where the session's device key stands. */
export const deviceStateResponseSchema = z.strictObject({
  keyId: keyIdSchema,
  state: z.enum(['unregistered', ...serviceDeviceStates]),
});
export type DeviceStateResponse = z.infer<typeof deviceStateResponseSchema>;

/**
 * GET /v1/devices/current/ops: what the service holds of the ops the caller's account sent from
 * the session's device (the highest `serverSeq` and how many), and the service's epoch, which an
 * operator changes after restoring a backup. The client compares them with what it was
 * acknowledged, to notice a service that lost ops.
 */
export const deviceOpsResponseSchema = z.strictObject({
  keyId: keyIdSchema,
  epoch: z.string().regex(/^[0-9a-f]{32}$/),
  highSeq: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
});
export type DeviceOpsResponse = z.infer<typeof deviceOpsResponseSchema>;

/** GET /v1/service-key: what offline results packages are encrypted for. */
export const serviceKeyResponseSchema = z.strictObject({ keyId: keyIdSchema, encryptionKey: base64Bytes(32) });
export type ServiceKeyResponse = z.infer<typeof serviceKeyResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Batches

/** One batch assigned to the signed-in reviewer, as the service sees it now. */
export const batchStateSchema = z.strictObject({
  batchId: batchIdSchema,
  status: z.enum(batchStatuses),
  expiresAt: epochMs,
  clipCount: z.int().min(0),
  /**
   * Clips of the batch whose consent is withdrawn, when there are any: the service keeps nothing
   * of them but these ids, and a workstation erases whatever it holds of them.
   */
  withdrawnClipIds: z.array(clipIdSchema).min(1).max(MAX_CLIPS).optional(),
  /** Which device of the account holds the batch, as the asking device sees it; absent when none does. */
  holder: z.enum(batchHolders).optional(),
});
export type BatchState = z.infer<typeof batchStateSchema>;

/**
 * GET /v1/batches (`?nonce=` a {@link timeNonceSchema}). A batch the client holds that is missing
 * here was taken back: treat it as revoked. `serviceTime` signs the time the list was made.
 */
export const batchListResponseSchema = z.strictObject({
  batches: z.array(batchStateSchema).max(10_000),
  serviceTime: signedServiceTimeSchema,
  /** What `GET /v1/devices/current/ops` would answer at the same moment: one request less per cycle. */
  deviceOps: deviceOpsResponseSchema,
});
export type BatchListResponse = z.infer<typeof batchListResponseSchema>;

/** POST /v1/batches/:batchId/checkout: the device the package is wrapped for. Answer: the package bytes. */
export const checkoutRequestSchema = z.strictObject({ keyId: keyIdSchema });
export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

// ---------------------------------------------------------------------------------------------
// Ops: annotations, escalations, audit events

/** An entity as it leaves the workstation: its text and type, never inside critical data. */
export const entityOutSchema = z.strictObject({
  type: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
  text: z.string().min(1).max(MAX_TRANSCRIPT_CHARS),
  kbId: z.string().min(1).max(128).optional(),
});

/**
 * One annotation revision. `transcript` has every critical-data span replaced by
 * `[CRITICAL:<category>]`; `criticalCategories` lists the categories tagged.
 */
export const annotationOpSchema = z
  .strictObject({
    opId: opIdSchema,
    batchId: batchIdSchema,
    clipId: clipIdSchema,
    revision: z.int().min(1),
    /**
     * The revision this one amends as the sender knows it: 0 (or null) for a clip's first, else
     * `revision - 1`. The service stores the op only while that is its current revision.
     */
    baseRevision: z.int().min(0).nullable(),
    /** The op id of the base revision; null exactly when there is none. */
    baseOpId: opIdSchema.nullable(),
    disposition: z.enum(dispositions),
    transcript: z.string().max(MAX_TRANSCRIPT_CHARS * 2),
    criticalCategories: z.array(z.enum(criticalCategories)).max(criticalCategories.length),
    entities: z.array(entityOutSchema).max(MAX_SPANS),
    submittedAt: epochMs,
  })
  .refine((op) => op.revision === (op.baseRevision ?? 0) + 1, { path: ['revision'], message: 'not baseRevision + 1' })
  .refine((op) => ((op.baseRevision ?? 0) === 0) === (op.baseOpId === null), {
    path: ['baseOpId'],
    message: 'null exactly when baseRevision is 0',
  });
export type AnnotationOp = z.infer<typeof annotationOpSchema>;

export const escalationOpSchema = z.strictObject({
  opId: opIdSchema,
  batchId: batchIdSchema,
  clipId: clipIdSchema,
  category: z.enum(escalationCategories),
  note: z.string().max(MAX_NOTE_CHARS),
  createdAt: epochMs,
});
export type EscalationOp = z.infer<typeof escalationOpSchema>;

/** What the workstation records for the audit trail: facts and ids, never content. */
export const auditEventTypes = [
  'signed_in',
  'signed_out',
  'device_enrolled',
  'batch_checked_out',
  'batch_imported_offline',
  'batch_erased_revoked',
  'batch_erased_expired',
  'batch_audio_purged',
  /** One clip erased because its consent was withdrawn; its unsynced work was dropped with it. */
  'clip_erased_consent_withdrawn',
  'op_needs_attention',
  'op_resent',
  'op_discarded',
  'batch_handed_over',
  'results_exported',
  'locked',
  'unlocked',
  'service_loss_recovered',
  'service_loss_unrecoverable',
] as const;
export type AuditEventType = (typeof auditEventTypes)[number];

export const auditOpSchema = z.strictObject({
  opId: opIdSchema,
  type: z.enum(auditEventTypes),
  at: epochMs,
  batchId: batchIdSchema.optional(),
  /** The clip the event is about (a clip erased for withdrawn consent). */
  clipId: clipIdSchema.optional(),
  /** A related op id (the op that needs attention). */
  refOpId: opIdSchema.optional(),
});
export type AuditOp = z.infer<typeof auditOpSchema>;

const bulk = <T extends z.ZodType>(op: T) => z.strictObject({ ops: z.array(op).min(1).max(MAX_OPS_PER_REQUEST) });

/** POST /v1/annotations, /v1/escalations, /v1/audit-events. */
export const annotationBulkSchema = bulk(annotationOpSchema);
export const escalationBulkSchema = bulk(escalationOpSchema);
export const auditBulkSchema = bulk(auditOpSchema);

/** The result the service stored for an op the first time; a duplicate returns it unchanged. */
export const storedResultSchema = z.strictObject({ serverSeq: z.int().min(1), receivedAt: epochMs });
export type StoredResult = z.infer<typeof storedResultSchema>;

/** What happened to one op, for machines: one of {@link opResultCodes} (their meanings are there). */
export const opResultCodeSchema = z.enum(opResultCodes);
export type OpResultCode = z.infer<typeof opResultCodeSchema>;
/** The codes of a refused op (outcome `rejected`). */
export type OpRefusalCode = Exclude<OpResultCode, 'stored' | 'duplicate' | 'conflict'>;

/** One entry per op, in request order. `status` is the HTTP status the op would have alone. */
export const opResultSchema = z.strictObject({
  opId: opIdSchema,
  outcome: z.enum(opOutcomes),
  code: opResultCodeSchema,
  status: z.int().min(100).max(599),
  result: storedResultSchema.optional(),
  message: z.string().max(1_000).optional(),
  /**
   * On an annotation refused for its base (or its revision): the clip's current revision on the
   * service (0 when it has none) and its op id, so the sender can resend on top of it.
   */
  currentRevision: z.int().min(0).optional(),
  currentOpId: opIdSchema.optional(),
});
export type OpResult = z.infer<typeof opResultSchema>;

export const bulkResponseSchema = z.strictObject({ results: z.array(opResultSchema).max(MAX_OPS_PER_REQUEST) });
export type BulkResponse = z.infer<typeof bulkResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Timing and shifts

/** One timing record per row version, one strict schema per kind (./timing-records.ts). */
export { timingRecordSchema, type TimingRecord } from './timing-records';

/** POST /v1/timing. Records are deduplicated by id like ops. */
export const timingBulkSchema = z.strictObject({
  records: z.array(timingRecordSchema).min(1).max(MAX_TIMING_RECORDS_PER_REQUEST),
});
/**
 * `accepted`: held now (stored, or stored before). `refused`: records not taken, each with its
 * code (docs/sync-protocol.md): `implausible_time` never will be, so the sender settles it;
 * `ahead_of_service` and `over_daily_limit` may be later, so the sender keeps it and sends it again.
 */
export const timingResponseSchema = z.strictObject({
  accepted: z.array(z.string()).max(MAX_TIMING_RECORDS_PER_REQUEST),
  refused: z
    .array(
      z.strictObject({
        id: z.string(),
        code: z.enum(['implausible_time', 'ahead_of_service', 'over_daily_limit']),
        message: z.string().max(1_000),
      }),
    )
    .max(MAX_TIMING_RECORDS_PER_REQUEST),
});
export type TimingResponse = z.infer<typeof timingResponseSchema>;

// ---------------------------------------------------------------------------------------------
// Offline results packages and admin

/** POST /v1/results-packages (body: the package bytes). What was imported, op by op. */
export const resultsImportResponseSchema = z.strictObject({
  keyId: keyIdSchema,
  results: z.array(opResultSchema.extend({ kind: z.enum(['annotation', 'escalation', 'audit']) })).max(1_000_000),
  timingAccepted: z.int().min(0),
});
export type ResultsImportResponse = z.infer<typeof resultsImportResponseSchema>;

/** One device as GET /v1/admin/devices lists it. */
export const adminDeviceSchema = z.strictObject({
  account: z.string().min(1).max(128),
  keyId: keyIdSchema,
  state: z.enum(serviceDeviceStates),
  enrolledAt: epochMs,
  decidedAt: epochMs.nullable(),
  decidedBy: z.string().max(128).nullable(),
});
export type AdminDevice = z.infer<typeof adminDeviceSchema>;
export const adminDeviceListSchema = z.strictObject({ devices: z.array(adminDeviceSchema).max(100_000) });

/** POST /v1/admin/faults (an operator's session). */
export const faultRequestSchema = z.strictObject({
  fault: z.enum(faultNames),
  delayMs: z.int().min(0).max(60_000).optional(),
  retryAfterSeconds: z.int().min(0).max(3_600).optional(),
  afterOps: z.int().min(0).max(1_000_000).optional(),
  /** One upload in `every` misbehaves (faults that answer uploads); 1 = every upload. */
  every: z.int().min(1).max(1_000).optional(),
});
export type FaultRequest = z.infer<typeof faultRequestSchema>;
