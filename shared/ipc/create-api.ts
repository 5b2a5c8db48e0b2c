/**
 * Builds the renderer-facing API from the contract over any transport. The preload passes an
 * ipcRenderer transport; the browser test harness passes a bridge to the same handler table
 * running in Node. Nothing else may reach main.
 */
import { err, type Result } from '../result';
import type { InvokeChannel, PushEvent, ReviewerApi, Unsubscribe } from './contract';
import { invokeChannels, pushEvents } from './channels';

/** How calls and events travel. Implementations must not throw synchronously. */
export type Transport = {
  invoke(channel: InvokeChannel, payload: unknown): Promise<unknown>;
  subscribe(event: PushEvent, listener: (payload: unknown) => void): Unsubscribe;
};

function split(name: string): [domain: string, verb: string] {
  const at = name.indexOf(':');
  return [name.slice(0, at), name.slice(at + 1)];
}

/** Creates `window.reviewer`: one frozen object per domain with one method per channel. */
export function createApi(transport: Transport): ReviewerApi {
  const domains = new Map<string, Record<string, unknown>>();
  const domain = (name: string): Record<string, unknown> => {
    let methods = domains.get(name);
    if (!methods) {
      methods = {};
      domains.set(name, methods);
    }
    return methods;
  };

  for (const channel of invokeChannels) {
    const [d, verb] = split(channel);
    domain(d)[verb] = async (request?: unknown): Promise<Result<unknown>> => {
      try {
        return (await transport.invoke(channel, request)) as Result<unknown>;
      } catch {
        // The transport itself failed (main not ready, window closing): say so as a Result.
        return err('UNAVAILABLE', `The app could not complete "${channel}". Try again.`);
      }
    };
  }
  for (const event of pushEvents) {
    const [d, verb] = split(event);
    const name = `on${verb.charAt(0).toUpperCase()}${verb.slice(1)}`;
    domain(d)[name] = (listener: (payload: unknown) => void): Unsubscribe => transport.subscribe(event, listener);
  }

  const api: Record<string, unknown> = {};
  for (const [name, methods] of domains) {
    api[name] = Object.freeze(methods);
  }
  return Object.freeze(api) as ReviewerApi;
}
