/**
 * The annotation service's HTTP client (protocol in shared/sync, docs/sync-protocol.md) over the
 * global fetch. Every answer is checked with its schema; every failure becomes a
 * {@link SyncHttpError} the sender can branch on: network, HTTP status, Retry-After.
 */
import type { z } from 'zod';
import {
  batchListResponseSchema,
  bulkResponseSchema,
  challengeResponseSchema,
  deviceOpsResponseSchema,
  deviceStateResponseSchema,
  enrolResponseSchema,
  errorBodySchema,
  serviceKeyResponseSchema,
  signInResponseSchema,
  timingResponseSchema,
  type AnnotationOp,
  type AuditOp,
  type BatchListResponse,
  type BulkResponse,
  type ChallengeResponse,
  type DeviceOpsResponse,
  type DeviceStateResponse,
  type EnrolRequest,
  type EnrolResponse,
  type EscalationOp,
  type ServiceKeyResponse,
  type SignInRequest,
  type SignInResponse,
  type TimingRecord,
  type TimingResponse,
} from '../../../shared/sync/messages';
import { releaseResponseSchema, type ReleaseResponse } from '../../../shared/sync/hand-over-messages';
import {
  teamShiftsResponseSchema,
  type TeamShiftsQuery,
  type TeamShiftsResponse,
} from '../../../shared/sync/team-shifts';
import {
  escalationInboxResponseSchema,
  escalationResponseResultSchema,
  myEscalationsResponseSchema,
  type EscalationInboxResponse,
  type EscalationResponseRequest,
  type EscalationResponseResult,
  type EscalationStatus,
  type MyEscalationsResponse,
} from '../../../shared/sync/escalation-inbox';
import {
  AUTH_SCHEME,
  opPaths,
  PACKAGE_MEDIA_TYPE,
  paths,
  TIME_NONCE_PARAM,
  type OpKind,
} from '../../../shared/sync/protocol';

/** `network`: no answer (refused, reset, timed out). `bad_response`: an answer that breaks the protocol. */
export type SyncFailure = 'network' | 'bad_response' | 'http';

export class SyncHttpError extends Error {
  override readonly name = 'SyncHttpError';
  constructor(
    readonly failure: SyncFailure,
    /** The HTTP status; 0 when there was no answer. */
    readonly status: number,
    /** The protocol error code of the body, when it had one. */
    readonly code: string | null,
    message: string,
    /** From a Retry-After header, in milliseconds. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export type OpsFor<K extends OpKind> = K extends 'annotation'
  ? AnnotationOp[]
  : K extends 'escalation'
    ? EscalationOp[]
    : AuditOp[];

export type SyncHttpOptions = {
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  /** A request that takes longer is abandoned as a network failure. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
  /** Called for every request the service answered with success (the sender's backoff follows it). */
  readonly answered?: () => void;
};

/** Seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null || value.trim() === '') {
    return null;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim()) * 1000;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function createSyncHttp(o: SyncHttpOptions) {
  const doFetch = o.fetch ?? globalThis.fetch;
  const base = o.baseUrl.replace(/\/+$/, '');
  const now = o.now ?? (() => Date.now());

  const request = async (
    method: string,
    path: string,
    init: { token?: string; json?: unknown; accept?: string } = {},
  ): Promise<Response> => {
    const headers: Record<string, string> = { accept: init.accept ?? 'application/json' };
    if (init.token) {
      headers['authorization'] = `${AUTH_SCHEME} ${init.token}`;
    }
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
    }
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
        redirect: 'error',
        signal: AbortSignal.timeout(o.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new SyncHttpError(
        'network',
        0,
        null,
        `The annotation service could not be reached (${error instanceof Error ? error.name : 'error'}).`,
      );
    }
    if (!response.ok) {
      let code: string | null = null;
      let message = `The annotation service answered ${response.status}.`;
      try {
        const body = errorBodySchema.safeParse(await response.json());
        if (body.success) {
          code = body.data.error.code;
          message = body.data.error.message;
        }
      } catch {
        // A body that is not JSON: the status says enough.
      }
      throw new SyncHttpError(
        'http',
        response.status,
        code,
        message,
        parseRetryAfter(response.headers.get('retry-after'), now()),
      );
    }
    o.answered?.();
    return response;
  };

  const json = async <S extends z.ZodType>(response: Response, schema: S): Promise<z.infer<S>> => {
    let raw: unknown;
    try {
      raw = await response.json();
    } catch {
      throw new SyncHttpError(
        'bad_response',
        response.status,
        null,
        'The annotation service sent a body that is not JSON.',
      );
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new SyncHttpError(
        'bad_response',
        response.status,
        null,
        'The annotation service sent an answer this version does not understand.',
      );
    }
    return parsed.data as z.infer<S>;
  };

  return {
    challenge: async (): Promise<ChallengeResponse> =>
      json(await request('POST', paths.signInChallenge), challengeResponseSchema),
    signIn: async (r: SignInRequest): Promise<SignInResponse> =>
      json(await request('POST', paths.sessions, { json: r }), signInResponseSchema),
    signOut: async (token: string): Promise<void> => {
      await request('DELETE', paths.currentSession, { token });
    },
    enrol: async (token: string, r: EnrolRequest): Promise<EnrolResponse> =>
      json(await request('POST', paths.devices, { token, json: r }), enrolResponseSchema),
    deviceState: async (token: string): Promise<DeviceStateResponse> =>
      json(await request('GET', paths.currentDevice, { token }), deviceStateResponseSchema),
    /** What the service holds of this device's ops, and its epoch. */
    deviceOps: async (token: string): Promise<DeviceOpsResponse> =>
      json(await request('GET', paths.currentDeviceOps, { token }), deviceOpsResponseSchema),
    serviceKey: async (): Promise<ServiceKeyResponse> =>
      json(await request('GET', paths.serviceKey), serviceKeyResponseSchema),
    /** Batch status; `nonce` is signed back in its service time. */
    batches: async (token: string, nonce?: string): Promise<BatchListResponse> =>
      json(
        await request(
          'GET',
          nonce === undefined ? paths.batches : `${paths.batches}?${TIME_NONCE_PARAM}=${encodeURIComponent(nonce)}`,
          { token },
        ),
        batchListResponseSchema,
      ),
    /** The batch package for this device, as bytes. */
    checkout: async (token: string, batchId: string, keyId: string): Promise<Buffer> => {
      const response = await request('POST', paths.checkout(batchId), {
        token,
        json: { keyId },
        accept: PACKAGE_MEDIA_TYPE,
      });
      try {
        return Buffer.from(await response.arrayBuffer());
      } catch {
        throw new SyncHttpError('network', 0, null, 'The batch download was cut off.');
      }
    },
    /** Hands a batch this device holds over, so another device of the account may check it out. */
    release: async (token: string, batchId: string, keyId: string): Promise<ReleaseResponse> =>
      json(await request('POST', paths.release(batchId), { token, json: { keyId } }), releaseResponseSchema),
    upload: async <K extends OpKind>(token: string, kind: K, ops: OpsFor<K>): Promise<BulkResponse> =>
      json(await request('POST', opPaths[kind], { token, json: { ops } }), bulkResponseSchema),
    uploadTiming: async (token: string, records: readonly TimingRecord[]): Promise<TimingResponse> =>
      json(await request('POST', paths.timing, { token, json: { records } }), timingResponseSchema),
    /** One page of the shifts of the teams the caller supervises. */
    teamShifts: async (token: string, query: TeamShiftsQuery): Promise<TeamShiftsResponse> => {
      const search = new URLSearchParams(
        Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ).toString();
      return json(
        await request('GET', search === '' ? paths.teamShifts : `${paths.teamShifts}?${search}`, { token }),
        teamShiftsResponseSchema,
      );
    },
    /** A supervisor's escalation inbox, oldest first. */
    escalationInbox: async (token: string, status: EscalationStatus): Promise<EscalationInboxResponse> =>
      json(await request('GET', `${paths.escalations}?status=${status}`, { token }), escalationInboxResponseSchema),
    /** One answer to an escalation; a refusal is a {@link SyncHttpError} with the service's code. */
    respondToEscalation: async (
      token: string,
      opId: string,
      body: EscalationResponseRequest,
    ): Promise<EscalationResponseResult> =>
      json(
        await request('POST', paths.escalationResponses(opId), { token, json: body }),
        escalationResponseResultSchema,
      ),
    /** The caller's own escalations, their state and guidance. */
    myEscalations: async (token: string): Promise<MyEscalationsResponse> =>
      json(await request('GET', paths.myEscalations, { token }), myEscalationsResponseSchema),
    /** A call of the hearing and second-listen exchanges (./hearing-http.ts), its answer checked by `schema`. */
    callJson: async <S extends z.ZodType>(
      token: string,
      method: 'GET' | 'POST',
      path: string,
      schema: S,
      body?: unknown,
    ) => json(await request(method, path, { token, ...(body === undefined ? {} : { json: body }) }), schema),
    /** A call answered with a one-clip package, as bytes. */
    callPackage: async (token: string, path: string, body: unknown): Promise<Buffer> => {
      const response = await request('POST', path, { token, json: body, accept: PACKAGE_MEDIA_TYPE });
      try {
        return Buffer.from(await response.arrayBuffer());
      } catch {
        throw new SyncHttpError('network', 0, null, 'The clip download was cut off.');
      }
    },
    /** A call answered with no body (204). */
    callEmpty: async (token: string, path: string, body: unknown): Promise<void> => {
      await request('POST', path, { token, json: body });
    },
  };
}

export type SyncHttp = ReturnType<typeof createSyncHttp>;
