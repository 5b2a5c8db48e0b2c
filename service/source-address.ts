/**
 * Where a request comes from, as the audit trail and the per-source sign-in limits key it: the
 * peer's address, unless the operator named a header their reverse proxy sets
 * (`--trust-proxy-header X-Forwarded-For`). Then the right-most address in that header is taken:
 * the one the proxy itself appended, which a client cannot forge by sending the header itself.
 * No header is ever trusted by default, so a client talking to the service directly cannot pick
 * its own source.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** How sources are read; `header` is lower case, or undefined to trust none. */
export type SourcePolicy = { readonly trustedHeader?: string | undefined };

/** Headers any forwarding proxy sets: a request carrying one was relayed, not made on this host. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'] as const;

const peerOf = (req: IncomingMessage): string => req.socket.remoteAddress ?? 'unknown';

/** The right-most address of a comma-separated header value, if it is an IP address. */
function rightMost(value: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(value) ? value.join(',') : value;
  const last = joined?.split(',').pop()?.trim();
  return last && isIP(last) !== 0 ? last : undefined;
}

/** The source of `req` under `policy`: the trusted header's right-most address, else the peer. */
export function sourceOf(req: IncomingMessage, policy: SourcePolicy): string {
  const header = policy.trustedHeader;
  return (header ? rightMost(req.headers[header]) : undefined) ?? peerOf(req);
}

/** Whether an address is the host's own (127.0.0.0/8, ::1, or IPv4 loopback mapped into IPv6). */
export function isLoopback(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return address === '::1' || (isIP(v4) === 4 && v4.startsWith('127.'));
}

/** Whether `host` (a listening address or name) is reached from this host only. */
export const isLoopbackHost = (host: string): boolean => host === 'localhost' || isLoopback(host);

/**
 * Whether `req` was made on this host: a loopback peer and no forwarding header. A reverse proxy
 * on the same host relays outside requests from a loopback peer, so those do not count.
 */
export function madeOnThisHost(req: IncomingMessage): boolean {
  return isLoopback(peerOf(req)) && FORWARDING_HEADERS.every((h) => req.headers[h] === undefined);
}
