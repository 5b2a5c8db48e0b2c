/**
 * What the service keeps of each request once it is answered: a count and a latency in the
 * metrics, and one structured log line, both by route pattern, never by raw path.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Caller, Core } from './core';
import type { Route } from './routes/route';
import type { ServiceLog } from './service-log';

/** What the handler learned of a request, for auditing its refusal and logging it. */
export type RequestState = {
  readonly source: string;
  readonly requestId: string;
  readonly started: bigint;
  route: Route | undefined;
  caller: Caller | undefined;
  /** The protocol error code it was refused with. */
  code: string | undefined;
};

/** A route's pattern as logs and metrics name it (`/v1/batches/:batchId/checkout`), never a raw path. */
export const patternOf = (route: Route | undefined): string => (route ? decodeURIComponent(route.path) : 'unmatched');

/** Counts and logs a request once it is answered (or dropped). */
export function recordRequest(
  core: Core,
  log: ServiceLog | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  state: RequestState,
): void {
  const route = patternOf(state.route);
  const method = req.method ?? '?';
  const status = res.headersSent ? res.statusCode : null;
  const durationMs = Number(process.hrtime.bigint() - state.started) / 1e6;
  core.metrics.request(method, route, status === null ? 'dropped' : String(status), durationMs / 1000);
  log?.request({
    requestId: state.requestId,
    method,
    route,
    status,
    durationMs,
    pseudonym: state.caller?.account.pseudonym,
    code: state.code,
  });
}
