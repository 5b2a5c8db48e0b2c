/**
 * Runs in the test page in place of the preload: builds `window.reviewer` with the same
 * createApi factory, over a transport that calls the handler table in the Playwright process.
 */
import type { PushEvent } from '../../../shared/ipc/contract';
import { createApi, type Transport } from '../../../shared/ipc/create-api';

type BridgeWindow = Window & {
  __earmarkInvoke?: (channel: string, payload: unknown) => Promise<unknown>;
  __earmarkPush?: (event: PushEvent, payload: unknown) => void;
};

const w = window as BridgeWindow;
const listeners = new Map<PushEvent, Set<(payload: unknown) => void>>();

/** Undoes the harness's byte tagging, so the page sees what structured clone would give it. */
function fromWire(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(fromWire);
  }
  if (value !== null && typeof value === 'object') {
    const tagged = (value as { $bytes?: unknown }).$bytes;
    if (typeof tagged === 'string' && Object.keys(value).length === 1) {
      return Uint8Array.from(atob(tagged), (ch) => ch.charCodeAt(0));
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromWire(v)]));
  }
  return value;
}

const transport: Transport = {
  invoke: (channel, payload) => {
    const send = w.__earmarkInvoke;
    return send ? send(channel, payload).then(fromWire) : Promise.reject(new Error('bridge not installed'));
  },
  subscribe: (event, listener) => {
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => {
      set.delete(listener);
    };
  },
};

w.__earmarkPush = (event, payload) => listeners.get(event)?.forEach((l) => l(payload));
// contextBridge exposes a non-writable, non-configurable property; so does the bridge.
Object.defineProperty(window, 'reviewer', { value: createApi(transport), writable: false, configurable: false });
