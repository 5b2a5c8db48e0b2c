/**
 * A small load balancer for tests: an HTTP proxy on loopback that hands each request to the next
 * of several service processes in turn, and notes who answered what. A connection the service
 * drops unanswered is dropped to the client too, as a real balancer passing TCP failures through
 * would, so the client meets the same failure it would meet without the proxy.
 *
 * Hand-written on node:http rather than a proxy library: the few lines needed are forwarding,
 * counting and passing a drop through, and a library's own error answers (a 502 page) would hide
 * the drop the fault suite depends on.
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RoundRobinProxy = {
  /** Where clients send their requests. */
  readonly url: string;
  /** One line per request answered, whichever process answered it: `METHOD PATH STATUS`. */
  readonly requests: readonly string[];
  /** Per upstream (in the order given), the lines of the requests it answered. */
  readonly answeredBy: readonly (readonly string[])[];
  close(): Promise<void>;
};

/** Starts a proxy on a free loopback port in front of `upstreams` (base URLs). */
export async function startRoundRobinProxy(upstreams: readonly string[]): Promise<RoundRobinProxy> {
  const targets = upstreams.map((u) => new URL(u));
  const agents = targets.map(() => new Agent({ keepAlive: true }));
  const requests: string[] = [];
  const answeredBy: string[][] = targets.map(() => []);
  let next = 0;

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const i = next;
    next = (next + 1) % targets.length;
    const target = targets[i] as URL;
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: agents[i],
      },
      (answer) => {
        const line = `${req.method ?? '?'} ${req.url ?? '?'} ${answer.statusCode ?? 0}`;
        requests.push(line);
        answeredBy[i]?.push(line);
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('error', () => req.socket.destroy());
      },
    );
    // The service dropped the connection (or never took it): the client loses its connection too.
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  };

  const server = createServer(forward);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answeredBy,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agents.forEach((a) => a.destroy());
    },
  };
}
