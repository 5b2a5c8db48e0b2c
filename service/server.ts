/**
 * The reference annotation service: real HTTP (node:http) on loopback over the ServiceStore
 * it is given. `npm run service` starts one on SQLite with demo accounts and
 * batches; tests start their own on a free port and turn its fault switches directly.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_JSON_BODY_BYTES, paths } from '../shared/sync/protocol';
import { tokenHash } from './auth';
import { createCore, type Caller, type Core, type CoreOptions } from './core';
import { bearerToken, HttpError, readBody, sendError, sendJson } from './http';
import { appendAudit } from './audit';
import { adminRoutes } from './routes/admin.routes';
import { checkout, listBatches, releaseBatch } from './routes/batch.routes';
import { currentDevice, enrol, serviceKey } from './routes/device.routes';
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

export type ReferenceServiceOptions = CoreOptions & {
  /** One line per request (method, path, status); nothing else is logged. */
  readonly log?: (line: string) => void;
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

async function authenticate(core: Core, req: IncomingMessage): Promise<Caller> {
  const token = bearerToken(req);
  if (!token) {
    throw new HttpError(401, 'token_invalid', 'Sign in first.');
  }
  const hash = tokenHash(token);
  const session = await core.store.sessions.find(hash);
  const account = session ? await core.store.accounts.find(session.account) : undefined;
  if (!session || !account || session.endedAt !== null || account.disabledAt !== null) {
    throw new HttpError(401, 'token_invalid', 'This session is not valid; sign in again.');
  }
  if (session.expiresAt <= core.now()) {
    throw new HttpError(401, 'token_expired', 'This session has expired; sign in again.');
  }
  return { account, tokenHash: hash, session };
}

/** Uploads are taken only from a session whose device key this account has enrolled (in any state). */
async function requireEnrolledDevice(core: Core, caller: Caller): Promise<void> {
  if (!(await core.store.devices.find(caller.account.account, caller.session.keyId))) {
    throw new HttpError(403, 'device_not_enrolled', 'Enrol this device before uploading from it.');
  }
}

/** What the handler learned of a request, for auditing its refusal. */
type RequestState = { readonly source: string; route: Route | undefined; caller: Caller | undefined };

/** The peer's address: the service never trusts a forwarding header for it. */
const sourceOf = (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';

/** Refusals of audited routes (and every operator route) land in the audit trail with their code. */
async function auditRefusal(core: Core, state: RequestState, error: HttpError): Promise<void> {
  const action = state.route?.audit ?? (state.route?.operator ? 'admin.request' : null);
  if (!action || error.audited) {
    return;
  }
  await appendAudit(core.store, {
    at: core.now(),
    actor: state.caller?.account.account ?? null,
    source: state.source,
    action,
    outcome: 'refused',
    code: error.code,
    subject: state.caller?.session.keyId ?? null,
  });
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
    });
    res.end(reply.bytes);
  } else {
    res.writeHead(204);
    res.end();
  }
}

export function createReferenceService(o: ReferenceServiceOptions) {
  const core = createCore(o);
  const routes = baseRoutes;

  const handle = async (req: IncomingMessage, res: ServerResponse, ctx: RequestState): Promise<void> => {
    const path = new URL(req.url ?? '/', 'http://service.invalid').pathname;
    const found = routes.map((r) => ({ r, params: match(r, req.method ?? '', path) })).find((x) => x.params !== null);
    if (!found?.params) {
      throw new HttpError(404, 'not_found', 'No such endpoint.');
    }
    const { r: route, params } = found;
    ctx.route = route;
    const faults = await core.faults.get();
    if (faults.fault === 'delay' && faults.delayMs > 0) {
      await sleep(faults.delayMs);
    }
    const caller = route.auth || route.operator ? await authenticate(core, req) : undefined;
    ctx.caller = caller;
    if (route.operator && caller?.account.role !== 'operator') {
      throw new HttpError(403, 'operator_only', "This needs an operator's session.");
    }
    if (route.upload && caller) {
      await requireEnrolledDevice(core, caller);
    }
    const misbehaves = route.upload === true && faults.fault !== 'none' && (await core.faults.nextUploadMisbehaves());
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

  const server: Server = createServer((req, res) => {
    const state: RequestState = { source: sourceOf(req), route: undefined, caller: undefined };
    handle(req, res, state)
      .catch(async (error: unknown) => {
        if (error instanceof HttpError) {
          await auditRefusal(core, state, error).catch(() => undefined);
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
      .finally(() => o.log?.(`${req.method ?? '?'} ${req.url ?? '?'} ${res.statusCode}`));
  });

  return {
    core,
    /** Listens on `host` (loopback by default) and returns the base URL. Port 0 picks a free one. */
    listen(port = 0, host = '127.0.0.1'): Promise<string> {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          resolve(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`);
        });
      });
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
