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

type Base64Decoder = { fromBase64?: (base64: string) => Uint8Array };

/**
 * Base64 to bytes as fast as the page can: the bridge's own cost is not the app's, and a slow
 * decode would weigh on the renderer benchmark's figures.
 */
function bytesOf(base64: string): Uint8Array {
  const native = (Uint8Array as Base64Decoder).fromBase64;
  if (native) {
    return native(base64);
  }
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) {
    bytes[i] = text.charCodeAt(i);
  }
  return bytes;
}

/** Undoes the harness's byte tagging, so the page sees what structured clone would give it. */
function fromWire(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(fromWire);
  }
  if (value !== null && typeof value === 'object') {
    const tagged = (value as { $bytes?: unknown }).$bytes;
    if (typeof tagged === 'string' && Object.keys(value).length === 1) {
      return bytesOf(tagged);
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
