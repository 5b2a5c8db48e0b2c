/**
 * Endpoints for the operator's tooling, outside the sync protocol: liveness (`/healthz`),
 * readiness (`/readyz`) and Prometheus metrics (`/metrics`). None needs a session and none
 * answers with anything a reviewer sent; `/metrics` is for this host's scraper, or for one that
 * holds the operator's metrics token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { bearerToken, HttpError } from '../http';
import { madeOnThisHost } from '../source-address';
import type { Route } from './route';

/** Operations paths (not under /v1: they are no part of the protocol clients speak). */
export const operationsPaths = { healthz: '/healthz', readyz: '/readyz', metrics: '/metrics' } as const;

/** How long `/readyz` waits for the store before calling it unreachable. */
export const READINESS_TIMEOUT_MS = 2_000;

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Whether `presented` is the token, compared in constant time. */
function tokenMatches(presented: string | undefined, token: string): boolean {
  return presented !== undefined && timingSafeEqual(digest(presented), digest(token));
}

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T | 'timeout'> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve('timeout'), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });

const notReady = (reason: string) => ({ status: 503, json: { ok: false, reason } });

/**
 * The operations routes.
 * @param o.metricsToken a bearer token that opens `/metrics` from anywhere; without it only a
 *   request made on this host (loopback peer, not relayed by a proxy) may read it
 */
export function operationsRoutes(o: { readonly metricsToken?: string | undefined }): Route[] {
  return [
    {
      method: 'GET',
      path: operationsPaths.healthz,
      auth: false,
      operations: true,
      // Liveness: the process answers; the store is not asked.
      handle: () => ({ status: 200, json: { ok: true } }),
    },
    {
      method: 'GET',
      path: operationsPaths.readyz,
      auth: false,
      operations: true,
      async handle(ctx) {
        if (ctx.core.lifecycle.shuttingDown()) {
          return notReady('shutting_down');
        }
        const found = await withTimeout(ctx.core.store.readiness(), READINESS_TIMEOUT_MS).catch(() => 'error' as const);
        // Shutdown may have begun while the store was asked.
        if (ctx.core.lifecycle.shuttingDown()) {
          return notReady('shutting_down');
        }
        if (found === 'timeout' || found === 'error') {
          return notReady('store_unreachable');
        }
        return found.ok ? { status: 200, json: { ok: true } } : notReady('schema_not_current');
      },
    },
    {
      method: 'GET',
      path: operationsPaths.metrics,
      auth: false,
      operations: true,
      async handle(ctx) {
        const token = o.metricsToken;
        if (!madeOnThisHost(ctx.req) && !(token && tokenMatches(bearerToken(ctx.req), token))) {
          throw token
            ? new HttpError(401, 'token_invalid', 'Metrics need the operator’s metrics token.')
            : new HttpError(403, 'forbidden', 'Metrics are served to this host only.');
        }
        const { metrics } = ctx.core;
        return { status: 200, bytes: Buffer.from(await metrics.page(), 'utf8'), contentType: metrics.contentType };
      },
    },
  ];
}
