/**
 * What the load run measures, by phase: each request's latency per route in an HDR histogram
 * (hdr-histogram-js, microsecond resolution, so p99 of thousands of samples costs no sorting),
 * statuses and error codes per route, and what happened to each op the service answered for.
 * Requests are timed in a wrapper of `fetch`, from the call until the whole body has arrived.
 */
import * as hdr from 'hdr-histogram-js';

export const PHASES = ['sign-in', 'checkout', 'steady', 'verify'] as const;
export type Phase = (typeof PHASES)[number];

/** One route's figures in one phase. */
export type RouteFigures = {
  readonly histogram: hdr.Histogram;
  /** `200`, `409 conflict`, `0 network`: how many of each. */
  readonly outcomes: Map<string, number>;
};

export type PhaseFigures = {
  startedAt: number;
  endedAt: number;
  readonly routes: Map<string, RouteFigures>;
  /** `annotation stored`, `escalation duplicate`, `timing accepted`, …: op outcomes by kind and code. */
  readonly ops: Map<string, number>;
  /** How late each cycle started against its reviewer's schedule (steady phase). */
  readonly lag: hdr.Histogram;
};

/** One hour, in microseconds: anything slower is recorded as this. */
const HIGHEST_US = 3_600_000_000;

const newHistogram = (): hdr.Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_US, numberOfSignificantValueDigits: 3 });

const bump = (map: Map<string, number>, key: string, by = 1): void => {
  map.set(key, (map.get(key) ?? 0) + by);
};

const toMicros = (ms: number): number => Math.min(HIGHEST_US, Math.max(1, Math.round(ms * 1000)));

/** Path segments that are ids become their names, so one route is one row. */
export function routeOf(method: string, url: string): string {
  const path = new URL(url).pathname
    .replace(/\/b-[0-9A-Z]{16}(?=\/|$)/g, '/:batchId')
    .replace(/\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?=\/|$)/g, '/:opId');
  return `${method.toUpperCase()} ${path}`;
}

export function createRecorder(now: () => number = () => performance.now()) {
  const phases = new Map<Phase, PhaseFigures>();
  let current: Phase = 'sign-in';
  const figures = (): PhaseFigures => {
    let f = phases.get(current);
    if (!f) {
      f = { startedAt: now(), endedAt: now(), routes: new Map(), ops: new Map(), lag: newHistogram() };
      phases.set(current, f);
    }
    return f;
  };
  const route = (name: string): RouteFigures => {
    const f = figures();
    let r = f.routes.get(name);
    if (!r) {
      r = { histogram: newHistogram(), outcomes: new Map() };
      f.routes.set(name, r);
    }
    return r;
  };

  const request = (name: string, ms: number, status: number, code: string | null): void => {
    const r = route(name);
    r.histogram.recordValue(toMicros(ms));
    bump(r.outcomes, code === null ? String(status) : `${status} ${code}`);
  };

  return {
    phases: phases as ReadonlyMap<Phase, PhaseFigures>,
    /** Starts `phase` now (and closes the one before). */
    begin(phase: Phase): void {
      figures().endedAt = now();
      current = phase;
      figures().startedAt = now();
    },
    /** Closes the phase running now. */
    end(): void {
      figures().endedAt = now();
    },
    request,
    op(kind: string, code: string, count = 1): void {
      bump(figures().ops, `${kind} ${code}`, count);
    },
    lag(ms: number): void {
      figures().lag.recordValue(toMicros(ms));
    },
    /** A fetch that records every request it makes under `routeOf` its method and URL. */
    timedFetch(inner: typeof fetch = globalThis.fetch): typeof fetch {
      return async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        const name = routeOf(init?.method ?? 'GET', url);
        const start = performance.now();
        let response: Response;
        let body: ArrayBuffer;
        try {
          response = await inner(input, init);
          body = await response.arrayBuffer();
        } catch (error) {
          request(name, performance.now() - start, 0, networkCode(error));
          throw error;
        }
        request(name, performance.now() - start, response.status, response.ok ? null : errorCode(body));
        // Statuses that carry no body may not be given one.
        const empty = response.status === 204 || response.status === 205 || response.status === 304;
        return new Response(empty ? null : body, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      };
    },
  };
}

export type Recorder = ReturnType<typeof createRecorder>;

/** The protocol error code of an error body, or `?` when it has none. */
function errorCode(body: ArrayBuffer): string {
  try {
    const parsed = JSON.parse(Buffer.from(body).toString('utf8')) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : '?';
  } catch {
    return '?';
  }
}

/** `network` and what undici says was wrong underneath (`network UND_ERR_SOCKET`, `network ECONNRESET`). */
function networkCode(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = error instanceof Error && error.name === 'TimeoutError' ? 'timeout' : cause?.code;
  return typeof code === 'string' ? `network ${code}` : 'network';
}
