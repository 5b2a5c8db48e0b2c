/** The shape of one route of the reference service. */
import type { IncomingMessage } from 'node:http';
import type { Caller, Core } from '../core';

export type Reply =
  | { readonly status: number; readonly json: unknown; readonly headers?: Readonly<Record<string, string>> }
  | {
      readonly status: number;
      readonly bytes: Buffer;
      readonly contentType: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  | { readonly status: 204 };

export type RouteContext = {
  readonly core: Core;
  readonly req: IncomingMessage;
  readonly params: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** Where the request came from: the peer's address, as the audit trail and sign-in limits key it. */
  readonly source: string;
  /** Set on routes with `auth`. */
  readonly caller: Caller | undefined;
};

export type Route = {
  readonly method: 'GET' | 'POST' | 'DELETE';
  /** A path under /v1 with `:name` segments (operations endpoints: a path of their own). */
  readonly path: string;
  /** An operations endpoint (health, readiness, metrics): the fault switches never touch it. */
  readonly operations?: boolean;
  /** Needs a valid bearer token. */
  readonly auth: boolean;
  /** Needs an operator's session (implies `auth`). */
  readonly operator?: boolean;
  /** The audit action a refusal of this route is recorded under; routes record their successes themselves. */
  readonly audit?: string;
  /** An upload: the upload fault switches apply. */
  readonly upload?: boolean;
  /** Largest body accepted; the JSON default otherwise. */
  readonly bodyLimit?: number;
  /** The route reads `req` itself, piece by piece; `body` is empty. */
  readonly streamBody?: boolean;
  handle(ctx: RouteContext): Reply | Promise<Reply>;
};

/** The caller of an authenticated route; routes marked `auth` always have one. */
export function callerOf(ctx: RouteContext): Caller {
  if (!ctx.caller) {
    throw new Error('route needs auth');
  }
  return ctx.caller;
}
