/**
 * The annotation service's HTTP protocol (document version 4, paths under /v1): paths, headers, limits and error codes.
 * docs/sync-protocol.md describes every exchange; the zod schemas for each body are in
 * ./messages.ts. The client (main/services/sync) and the reference service (service/) both
 * build on these, so they cannot drift apart.
 */
import { canonicalJson } from './canonical-json';

/** Every path starts with this; a breaking change gets a new prefix. */
export const API_PREFIX = '/v1';

/** The paths, relative to the service's base URL. `:batchId` is a batch id. */
export const paths = {
  health: `${API_PREFIX}/health`,
  sessions: `${API_PREFIX}/sessions`,
  currentSession: `${API_PREFIX}/sessions/current`,
  signInChallenge: `${API_PREFIX}/sessions/challenge`,
  devices: `${API_PREFIX}/devices`,
  currentDevice: `${API_PREFIX}/devices/current`,
  currentDeviceOps: `${API_PREFIX}/devices/current/ops`,
  serviceKey: `${API_PREFIX}/service-key`,
  batches: `${API_PREFIX}/batches`,
  checkout: (batchId: string): string => `${API_PREFIX}/batches/${encodeURIComponent(batchId)}/checkout`,
  /** The holding device gives a batch up so another device of the account may check it out. */
  release: (batchId: string): string => `${API_PREFIX}/batches/${encodeURIComponent(batchId)}/release`,
  annotations: `${API_PREFIX}/annotations`,
  escalations: `${API_PREFIX}/escalations`,
  /** A supervisor's answers to one escalation (`:opId` is the escalation's op id). */
  escalationResponses: (opId: string): string => `${API_PREFIX}/escalations/${encodeURIComponent(opId)}/responses`,
  myEscalations: `${API_PREFIX}/me/escalations`,
  /** A supervisor of the escalating reviewer's team gets the escalated clip packed for their device. */
  escalationClip: (opId: string): string => `${API_PREFIX}/escalations/${encodeURIComponent(opId)}/clip`,
  listenRequests: `${API_PREFIX}/listen-requests`,
  ownListenRequests: `${API_PREFIX}/me/listen-requests`,
  listenRequestTake: (id: string): string => `${API_PREFIX}/listen-requests/${encodeURIComponent(id)}/take`,
  listenRequestClip: (id: string): string => `${API_PREFIX}/listen-requests/${encodeURIComponent(id)}/clip`,
  listenRequestProposal: (id: string): string => `${API_PREFIX}/listen-requests/${encodeURIComponent(id)}/proposal`,
  listenRequestDecision: (id: string): string => `${API_PREFIX}/listen-requests/${encodeURIComponent(id)}/decision`,
  playbacks: `${API_PREFIX}/playbacks`,
  auditEvents: `${API_PREFIX}/audit-events`,
  timing: `${API_PREFIX}/timing`,
  teamShifts: `${API_PREFIX}/team/shifts`,
  teamSecondListens: `${API_PREFIX}/team/second-listens`,
  resultsPackages: `${API_PREFIX}/results-packages`,
  adminFaults: `${API_PREFIX}/admin/faults`,
  adminRevoke: (batchId: string): string => `${API_PREFIX}/admin/batches/${encodeURIComponent(batchId)}/revoke`,
  adminDevices: `${API_PREFIX}/admin/devices`,
  adminApproveDevice: (account: string, keyId: string): string =>
    `${API_PREFIX}/admin/devices/${encodeURIComponent(account)}/${encodeURIComponent(keyId)}/approve`,
  adminRevokeDevice: (account: string, keyId: string): string =>
    `${API_PREFIX}/admin/devices/${encodeURIComponent(account)}/${encodeURIComponent(keyId)}/revoke`,
  exportAnnotations: `${API_PREFIX}/export/annotations`,
} as const;

/** The version of docs/sync-protocol.md this build speaks. */
export const PROTOCOL_DOC_VERSION = 10;

/** The headers of an annotation export page: the cursor to resume from, and whether nothing more is stored yet. */
export const EXPORT_NEXT_CURSOR_HEADER = 'earmark-next-cursor';
export const EXPORT_COMPLETE_HEADER = 'earmark-export-complete';

/** The query parameter of `GET /v1/batches` that carries the client's time nonce. */
export const TIME_NONCE_PARAM = 'nonce';

/**
 * What a workstation signs at sign-in to prove it holds its Ed25519 signing key: the UTF-8 of
 * `earmark/v1`, `sign-in`, the challenge, the account name as typed and the device key id,
 * joined by NUL bytes. Binding the account and key id stops a signature being replayed for
 * another account or device.
 */
export function signInProofMessage(challenge: string, account: string, keyId: string): string {
  return ['earmark/v1', 'sign-in', challenge, account, keyId].join('\0');
}

/**
 * What the service signs for a statement (its time, a signed-in identity): the UTF-8 of
 * `earmark/v1`, `service-statement` and the statement's canonical JSON, joined by NUL bytes.
 * Each statement names its `purpose`, so one kind cannot stand in for another.
 */
export function serviceStatementMessage(statement: { readonly purpose: string }): string {
  return ['earmark/v1', 'service-statement', canonicalJson(statement)].join('\0');
}

/** Sign-in throttling thresholds (docs/sync-protocol.md, "Sign-in limits"). */
export const signInLimits = {
  /** Failures of one (account name as typed, source address) pair before it is locked. */
  pairFailures: 5,
  /** The first lock of a pair; each further failure doubles it. */
  pairLockBaseMs: 30_000,
  /** The longest lock of a pair. */
  pairLockMaxMs: 24 * 60 * 60 * 1000,
  /** Failures from one source address, of any name, within {@link signInLimits.sourceWindowMs}. */
  sourceFailures: 20,
  sourceWindowMs: 60_000,
  /** Failures of one name, from any source, within {@link signInLimits.nameWindowMs}. */
  nameFailures: 50,
  nameWindowMs: 60 * 60 * 1000,
  /** How long a sign-in challenge may be used. */
  challengeTtlMs: 2 * 60 * 1000,
} as const;

/** Enrolment codes: entropy, lifetime and attempt limits. */
export const enrolmentCodeLimits = {
  /** Random bytes in a code (80 bits). */
  bytes: 10,
  defaultTtlMs: 24 * 60 * 60 * 1000,
  /** Wrong codes one account may try within {@link enrolmentCodeLimits.windowMs}. */
  attempts: 5,
  windowMs: 15 * 60 * 1000,
} as const;

/**
 * Devices one account may have waiting for an operator's approval: enrolling another without an
 * enrolment code is refused (`409 too_many_devices`) until an operator approves or revokes one.
 */
export const MAX_PENDING_DEVICES = 5;

/** Where a device key stands with the service. */
export const serviceDeviceStates = ['pending', 'approved', 'revoked'] as const;
/** One of {@link serviceDeviceStates}. */
export type ServiceDeviceState = (typeof serviceDeviceStates)[number];

/**
 * Where a batch's checkout stands for the device asking: `here`, another device (`elsewhere`: it
 * cannot be checked out here), or this device gave it up (`handed_over`: its later annotations on
 * the batch are refused). Batch status leaves it out when nobody holds the batch.
 */
export const batchHolders = ['here', 'elsewhere', 'handed_over'] as const;
/** One of {@link batchHolders}. */
export type BatchHolder = (typeof batchHolders)[number];

/** The op kinds the outbox carries, each to its own bulk endpoint. */
export const opKinds = ['annotation', 'escalation', 'audit'] as const;
/** One of {@link opKinds}. */
export type OpKind = (typeof opKinds)[number];

/** Where each op kind is uploaded. */
export const opPaths: { readonly [K in OpKind]: string } = {
  annotation: paths.annotations,
  escalation: paths.escalations,
  audit: paths.auditEvents,
};

/** `Authorization: Bearer <token>` on every call but sign-in, health and the service key. */
export const AUTH_SCHEME = 'Bearer';

/** The media type of a batch package (checkout) and of a results package (offline import). */
export const PACKAGE_MEDIA_TYPE = 'application/vnd.earmark.package';

/** At most this many ops in one bulk request. */
export const MAX_OPS_PER_REQUEST = 100;

/**
 * At most this many timing records in one `POST /v1/timing` (protocol version 4; 100 before).
 * A record is small and fixed in shape (numbers, labels, ids), so a thousand stay well under
 * {@link MAX_JSON_BODY_BYTES}, and a cycle's rows go up in one request and one transaction.
 */
export const MAX_TIMING_RECORDS_PER_REQUEST = 1000;

/** Request bodies above this are refused with 413 before they are parsed (results packages excepted). */
export const MAX_JSON_BODY_BYTES = 4 * 1024 * 1024;

/** A results package is at most this large. */
export const MAX_RESULTS_PACKAGE_BYTES = 64 * 1024 * 1024;

/** The machine-readable codes of an error body, one per way a call can fail. */
export const protocolErrorCodes = [
  'bad_request',
  'bad_credentials',
  'token_expired',
  'token_invalid',
  'device_not_enrolled',
  'device_pending',
  'device_revoked',
  'device_mismatch',
  'enrolment_code_invalid',
  'too_many_devices',
  'checked_out_elsewhere',
  'clip_withdrawn',
  'operator_only',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'rate_limited',
  'internal',
] as const;
/** One of {@link protocolErrorCodes}. */
export type ProtocolErrorCode = (typeof protocolErrorCodes)[number];

/**
 * The outcome of one op in a bulk upload. `stored`: first time seen, committed now.
 * `duplicate`: the op id was stored before with the same payload; the stored result is
 * returned unchanged. `conflict`: the op id was stored before with a different payload (HTTP
 * 409 semantics); nothing changed. `rejected`: the op is invalid for this reviewer (unknown
 * batch or clip); nothing changed.
 */
export const opOutcomes = ['stored', 'duplicate', 'conflict', 'rejected'] as const;
/** One of {@link opOutcomes}. */
export type OpOutcome = (typeof opOutcomes)[number];

/**
 * Why an op got its outcome (`opResultCodeSchema` in ./messages.ts checks it):
 * - `stored`, `duplicate`: the service holds the op (outcomes of the same name);
 * - `conflict`: the op id was stored before with another payload;
 * - `not_assigned`: the batch is unknown or not the caller's; `no_such_clip`; `withdrawn`: the
 *   clip's consent was withdrawn;
 * - `revision_taken`: another op holds this revision of the clip;
 * - `base_missing`: the service holds no revision `baseRevision` by op `baseOpId` of the clip;
 * - `base_stale`: the base is held but is no longer the clip's current revision;
 * - `checked_out_elsewhere`: another device of the account holds the batch;
 * - `handed_over`: this device handed the batch over (or an operator moved it): its later
 *   annotations on the batch are not taken.
 */
export const opResultCodes = [
  'stored',
  'duplicate',
  'conflict',
  'not_assigned',
  'no_such_clip',
  'withdrawn',
  'revision_taken',
  'base_missing',
  'base_stale',
  'checked_out_elsewhere',
  'handed_over',
] as const;

/** The HTTP-style status each outcome carries in a bulk response. */
export const outcomeStatus: { readonly [O in OpOutcome]: number } = {
  stored: 201,
  duplicate: 200,
  conflict: 409,
  rejected: 422,
};

/** Faults the reference service can be told to inject (docs/sync-protocol.md, "Fault switches"). */
export const faultNames = [
  'none',
  /** Commit the upload, then answer 500. */
  'error_after_commit',
  /** Commit the upload, then destroy the socket without answering. */
  'drop_after_commit',
  /** Wait `delayMs` before handling each request. */
  'delay',
  /** Answer 429 with `Retry-After: retryAfterSeconds` (every other upload). */
  'rate_limit',
  /** Expire the caller's token after `afterOps` ops have been stored in this session. */
  'expire_token',
] as const;
/** One of {@link faultNames}. */
export type FaultName = (typeof faultNames)[number];
