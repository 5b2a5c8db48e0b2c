/**
 * The service's listener lifecycle: which answers are in flight, the refusal to listen on an
 * address other hosts reach without TLS, and the graceful shutdown that lets requests in flight
 * finish (within a bound) before the store is closed.
 */
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from './source-address';

/** How long requests in flight may take to finish once shutdown begins. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

/**
 * How long an idle keep-alive connection stays open: longer than a workstation waits between
 * sync cycles (30 s), so each cycle reuses the connection of the last one. The client gives up an
 * idle connection a little before the time this announces (`Keep-Alive: timeout=65`), so it never
 * writes a request on one the service is closing; with Node's default of 5 s, a workstation busy
 * for longer than that found its connections closed under it, failed its next request and, with
 * the fetch of Node 24, went on opening a new connection for every request.
 */
export const IDLE_KEEP_ALIVE_MS = 65_000;

/**
 * How long a client may take to send a whole request, body included (Node's default, set here so
 * what depends on it can name it): a stalled upload is cut off then, and gives back its upload slot.
 */
export const REQUEST_TIMEOUT_MS = 5 * 60_000;

export function createLifecycle() {
  /** Answers being worked on; shutdown waits for them. */
  const inFlight = new Set<ServerResponse>();
  let whenIdle: (() => void) | undefined;
  let shuttingDown = false;
  return {
    /** Whether shutdown has begun: `/readyz` answers 503 from then on. */
    shuttingDown: (): boolean => shuttingDown,
    /** A request arrived; during shutdown its connection ends with its answer. */
    started(res: ServerResponse): void {
      inFlight.add(res);
      if (shuttingDown) {
        res.setHeader('connection', 'close');
      }
    },
    /** A request was answered or dropped. */
    ended(res: ServerResponse): void {
      inFlight.delete(res);
      if (inFlight.size === 0) {
        whenIdle?.();
      }
    },
    /**
     * Listens on `host` and returns the base URL. An address other hosts reach is refused without
     * TLS unless the operator allowed it explicitly.
     */
    listen(
      server: Server,
      o: { readonly port: number; readonly host: string; readonly tls: boolean; readonly insecureNoTls: boolean },
    ): Promise<string> {
      if (!o.tls && !o.insecureNoTls && !isLoopbackHost(o.host)) {
        return Promise.reject(
          new Error(
            `Refusing to listen on ${o.host} without TLS: give --tls-cert and --tls-key, or put a TLS proxy in ` +
              'front and listen on loopback, or say --insecure-no-tls explicitly.',
          ),
        );
      }
      server.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
      server.requestTimeout = REQUEST_TIMEOUT_MS;
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(o.port, o.host, () => {
          const address = server.address() as AddressInfo;
          const host = o.host.includes(':') ? `[${o.host}]` : o.host;
          resolve(`${o.tls ? 'https' : 'http'}://${host}:${address.port}`);
        });
      });
    },
    /**
     * Stops accepting connections, gives the requests in flight up to `graceMs` to finish, then
     * drops what is left. Resolves with how many requests were dropped.
     */
    async drain(server: Server, graceMs: number): Promise<{ dropped: number }> {
      shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive clients learn from the answers in flight that their connection ends.
      for (const res of inFlight) {
        if (!res.headersSent) {
          res.setHeader('connection', 'close');
        }
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => {
          whenIdle = resolve;
          if (inFlight.size === 0) {
            resolve();
          }
        }),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, graceMs);
        }),
      ]);
      clearTimeout(timer);
      const dropped = inFlight.size;
      server.closeAllConnections();
      await closed;
      return { dropped };
    },
  };
}

export type Lifecycle = ReturnType<typeof createLifecycle>;
