/**
 * The service's structured log (pino): one JSON line per request and one per unexpected error,
 * for a log shipper. A line holds the route *pattern* (never the raw path, which carries ids),
 * the status, the duration, a request id, the caller's pseudonym at most, and for a refusal its
 * error code. It never holds a body, a query string, a header, an error message or anything a
 * reviewer typed or recorded.
 */
import { pino, stdTimeFunctions, type DestinationStream } from 'pino';

/** One answered (or dropped) request. */
export type RequestLogEntry = {
  readonly requestId: string;
  readonly method: string;
  /** The matched route's pattern (`/v1/batches/:batchId/checkout`), or `unmatched`. */
  readonly route: string;
  /** The status sent, or null when the connection was dropped before an answer. */
  readonly status: number | null;
  readonly durationMs: number;
  /** The signed-in caller's pseudonym, when there was one. */
  readonly pseudonym?: string | undefined;
  /** The protocol error code of a refusal. */
  readonly code?: string | undefined;
};

/** Where the service's structured log goes. */
export type ServiceLog = {
  request(e: RequestLogEntry): void;
  /** An unexpected failure while answering: its class and stack frames, not its message. */
  failure(e: { readonly requestId: string; readonly route: string; readonly error: unknown }): void;
  /**
   * A service event (listening, shutting down, audio purged): a message and numbers or names; at
   * level `warn` for one an operator must act on.
   */
  event(msg: string, fields?: Readonly<Record<string, string | number | boolean>>, level?: 'info' | 'warn'): void;
  /** Writes out anything buffered (before the process exits). */
  flush(): void;
};

/** The stack frames of an error, without its first line (the message, which may quote input). */
function framesOf(error: unknown): string[] {
  return error instanceof Error && error.stack
    ? error.stack
        .split('\n')
        .filter((l) => l.startsWith('    at '))
        .map((l) => l.trim())
    : [];
}

/**
 * A JSON log writing to `destination` (standard output when not given).
 * @param destination a stream, for tests; pino writes one line per entry
 */
export function createJsonLog(destination?: DestinationStream): ServiceLog {
  const logger = pino(
    {
      base: { service: 'earmark' },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
  return {
    request(e) {
      const line = {
        requestId: e.requestId,
        method: e.method,
        route: e.route,
        status: e.status,
        durationMs: Math.round(e.durationMs * 10) / 10,
        ...(e.pseudonym ? { pseudonym: e.pseudonym } : {}),
        ...(e.code ? { code: e.code } : {}),
      };
      if (e.status === null || e.status >= 500) {
        logger.warn(line, 'request');
      } else {
        logger.info(line, 'request');
      }
    },
    failure(e) {
      const type = e.error instanceof Error ? e.error.name : typeof e.error;
      logger.error({ requestId: e.requestId, route: e.route, err: { type, frames: framesOf(e.error) } }, 'failure');
    },
    event(msg, fields = {}, level = 'info') {
      logger[level](fields, msg);
    },
    flush() {
      logger.flush();
    },
  };
}
