/**
 * The reference annotation service: real HTTP (node:http), or HTTPS (node:https) when given a
 * certificate, over the ServiceStore it is given. `npm run service` starts one over the accounts its
 * store holds (with `--demo`, the demo accounts and batches, on loopback only: service/demo-start.ts);
 * tests start their own on a free port and turn its fault switches directly.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { MAX_JSON_BODY_BYTES, paths } from '../shared/sync/protocol';
import { tokenHash } from './auth';
import { createCore, type Caller, type Core, type CoreOptions } from './core';
import { bearerToken, HttpError, readBody, sendError, sendJson } from './http';
import { adminRoutes } from './routes/admin.routes';
import { checkout, listBatches, releaseBatch } from './routes/batch.routes';
import { currentDevice, enrol, serviceKey } from './routes/device.routes';
import { exportAnnotations } from './routes/export.routes';
import { listEscalations, myEscalations, respondToEscalation } from './routes/escalation.routes';
import { escalationClip, reportPlayback } from './routes/hearing.routes';
import { uploadAnnotations, uploadAudit, uploadEscalations, uploadTiming } from './routes/op.routes';
import { resultsPackageRoute } from './routes/results.routes';
import type { Reply, Route } from './routes/route';
import {
  createListenRequest,
  decideListenRequest,
  listenQueue,
  listenRequestClip,
  ownListenRequests,
  proposeForListenRequest,
  takeListenRequest,
  teamSecondListens,
} from './routes/second-listen.routes';
import { challenge, signIn, signOut } from './routes/session.routes';
import { currentDeviceOps } from './routes/sync-state.routes';
import { listTeamShifts } from './routes/team.routes';
import { operationsRoutes } from './routes/operations.routes';
import { sourceOf } from './source-address';
import { patternOf, recordRequest, type RequestState } from './request-record';
import { DEFAULT_SHUTDOWN_GRACE_MS } from './lifecycle';
import { auditRefusal } from './refusal-audit';

export type ReferenceServiceOptions = CoreOptions & {
  /** One line per request (method, path, status); nothing else is logged. */
  readonly log?: (line: string) => void;
  /** A bearer token that opens `/metrics` to a scraper elsewhere (this host needs none). */
  readonly metricsToken?: string;
  /**
   * The header (lower case) a reverse proxy in front sets to the client's address; its right-most
   * address becomes the request's source. No header is trusted unless named here.
   */
  readonly trustProxyHeader?: string;
  /** A certificate chain and private key (PEM): the service speaks HTTPS. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** Listen on an address other hosts reach without TLS (the operator said so explicitly). */
  readonly insecureNoTls?: boolean;
};

const baseRoutes: readonly Route[] = [
  { method: 'GET', path: paths.health, auth: false, handle: () => ({ status: 200, json: { ok: true } }) },
  challenge,
  signIn,
  signOut,
  enrol,
  currentDevice,
  currentDeviceOps,
  serviceKey,
  listBatches,
  checkout,
  releaseBatch,
  uploadAnnotations,
  uploadEscalations,
  uploadAudit,
  uploadTiming,
  resultsPackageRoute,
  listTeamShifts,
  listEscalations,
  respondToEscalation,
  myEscalations,
  escalationClip,
  reportPlayback,
  createListenRequest,
  listenQueue,
  ownListenRequests,
  takeListenRequest,
  listenRequestClip,
  proposeForListenRequest,
  decideListenRequest,
  teamSecondListens,
  ...adminRoutes,
  exportAnnotations,
];

function match(route: Route, method: string, path: string): Record<string, string> | null {
  if (route.method !== method) {
    return null;
  }
  const want = decodeURIComponent(route.path).split('/');
  const got = path.split('/');
  if (want.length !== got.length) {
    return null;
  }
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(':')) {
      params[w.slice(1)] = decodeURIComponent(g);
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

/** A signed-in caller, and whether the session's device key is enrolled (read with it, in one go). */
type Authenticated = Caller & { readonly deviceEnrolled: boolean };

async function authenticate(core: Core, req: IncomingMessage): Promise<Authenticated> {
  const token = bearerToken(req);
  if (!token) {
    throw new HttpError(401, 'token_invalid', 'Sign in first.');
  }
  const hash = tokenHash(token);
  const found = await core.store.callers.find(hash);
  const session = found?.session;
  const account = found?.account;
  if (!session || !account || session.endedAt !== null || account.disabledAt !== null) {
    throw new HttpError(401, 'token_invalid', 'This session is not valid; sign in again.');
  }
  if (session.expiresAt <= core.now()) {
    throw new HttpError(401, 'token_expired', 'This session has expired; sign in again.');
  }
  return { account, tokenHash: hash, session, deviceEnrolled: found.deviceEnrolled };
}

/** Uploads are taken only from a session whose device key this account has enrolled (in any state). */
function requireEnrolledDevice(caller: Authenticated): void {
  if (!caller.deviceEnrolled) {
    throw new HttpError(403, 'device_not_enrolled', 'Enrol this device before uploading from it.');
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function send(res: ServerResponse, reply: Reply): void {
  if ('json' in reply) {
    sendJson(res, reply.status, reply.json, reply.headers);
  } else if ('bytes' in reply) {
    res.writeHead(reply.status, {
      'content-type': reply.contentType,
      'content-length': String(reply.bytes.length),
      'cache-control': 'no-store',
      ...reply.headers,
    });
    res.end(reply.bytes);
  } else {
    res.writeHead(204);
    res.end();
  }
}

export function createReferenceService(o: ReferenceServiceOptions) {
  const core = createCore(o);
  const routes: readonly Route[] = [...operationsRoutes({ metricsToken: o.metricsToken }), ...baseRoutes];
  const sourcePolicy = { trustedHeader: o.trustProxyHeader?.toLowerCase() };

  const handle = async (req: IncomingMessage, res: ServerResponse, ctx: RequestState): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://service.invalid').pathname;
    const found = routes.map((r) => ({ r, params: match(r, req.method ?? '', path) })).find((x) => x.params !== null);
    if (!found?.params) {
      throw new HttpError(404, 'not_found', 'No such endpoint.');
    }
    const { r: route, params } = found;
    ctx.route = route;
    // Operations endpoints never wait on a fault, nor read the store for one; nor does any request
    // of a process that does not play faults.
    const faults = route.operations ? undefined : await core.faults.inForce();
    if (faults?.fault === 'delay' && faults.delayMs > 0) {
      await sleep(faults.delayMs);
    }
    const caller = route.auth || route.operator ? await authenticate(core, req) : undefined;
    ctx.caller = caller;
    if (route.operator && caller?.account.role !== 'operator') {
      throw new HttpError(403, 'operator_only', "This needs an operator's session.");
    }
    if (route.upload && caller) {
      requireEnrolledDevice(caller);
    }
    const misbehaves =
      route.upload === true &&
      faults !== undefined &&
      faults.fault !== 'none' &&
      (await core.faults.nextUploadMisbehaves());
    if (misbehaves && faults.fault === 'rate_limit') {
      throw new HttpError(429, 'rate_limited', 'Slow down.', { 'retry-after': String(faults.retryAfterSeconds) });
    }
    const body = route.streamBody ? Buffer.alloc(0) : await readBody(req, route.bodyLimit ?? MAX_JSON_BODY_BYTES);
    const reply = await route.handle({ core, req, params, body, caller, source: ctx.source });
    // The upload is committed by now: these faults hit only the answer.
    if (misbehaves && faults.fault === 'error_after_commit') {
      throw new HttpError(500, 'internal', 'Injected failure after commit.');
    }
    if (misbehaves && faults.fault === 'drop_after_commit') {
      req.socket.destroy();
      return;
    }
    send(res, reply);
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const state: RequestState = {
      source: sourceOf(req, sourcePolicy),
      requestId: randomUUID(),
      started: process.hrtime.bigint(),
      route: undefined,
      caller: undefined,
      code: undefined,
    };
    core.lifecycle.started(res);
    core.metrics.requestStarted();
    handle(req, res, state)
      .catch(async (error: unknown) => {
        state.code = error instanceof HttpError ? error.code : 'internal';
        if (error instanceof HttpError) {
          await auditRefusal(core, state, error).catch(() => undefined);
        } else {
          o.serviceLog?.failure({ requestId: state.requestId, route: patternOf(state.route), error });
        }
        if (res.headersSent || req.socket.destroyed) {
          return;
        }
        const refusal = error instanceof HttpError ? error : new HttpError(500, 'internal', 'Internal error.');
        if (!req.complete) {
          // Answered before the body was read (or in the middle of it): close rather than read
          // the rest, so a refused upload costs no more than what was read to refuse it.
          res.setHeader('connection', 'close');
        }
        sendError(res, refusal);
      })
      .finally(() => {
        core.lifecycle.ended(res);
        o.log?.(`${req.method ?? '?'} ${req.url ?? '?'} ${res.statusCode}`);
        recordRequest(core, o.serviceLog, req, res, state);
      });
  };
  const server: Server = o.tls
    ? createHttpsServer({ cert: o.tls.cert, key: o.tls.key }, listener)
    : createServer(listener);

  return {
    core,
    /**
     * Listens on `host` (loopback by default) and returns the base URL. Port 0 picks a free one.
     * An address other hosts reach is refused without TLS unless `insecureNoTls` was given.
     */
    listen(port = 0, host = '127.0.0.1'): Promise<string> {
      return core.lifecycle.listen(server, { port, host, tls: o.tls !== undefined, insecureNoTls: !!o.insecureNoTls });
    },
    /**
     * Shuts down gracefully: `/readyz` answers 503, no new connection is accepted, requests in
     * flight get up to `graceMs` to finish (then their connections are dropped), the store-wide
     * upload slots this process still holds, and any being taken meanwhile, are given back (an
     * upload dropped mid-way would otherwise keep its slot until the lease lapses), and the store
     * is closed. Resolves with how many requests were dropped.
     */
    async shutdown(graceMs = DEFAULT_SHUTDOWN_GRACE_MS): Promise<{ dropped: number }> {
      const drained = await core.lifecycle.drain(server, graceMs);
      await core.uploadLeases.releaseAll();
      await core.store.close();
      return drained;
    },
    /** Stops listening, drops open connections and closes the store. */
    async close(): Promise<void> {
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await core.store.close();
    },
  };
}

export type ReferenceService = ReturnType<typeof createReferenceService>;
