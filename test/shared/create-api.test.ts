import { describe, expect, it } from 'vitest';
import { invokeChannels, pushEvents } from '../../shared/ipc/channels';
import { createApi, type Transport } from '../../shared/ipc/create-api';

function recordingTransport(answer: (channel: string, payload: unknown) => Promise<unknown>) {
  const sent: [string, unknown][] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const transport: Transport = {
    invoke: (channel, payload) => {
      sent.push([channel, payload]);
      return answer(channel, payload);
    },
    subscribe: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
  const emit = (event: string, payload: unknown): void => listeners.get(event)?.forEach((l) => l(payload));
  return { transport, sent, emit };
}

describe('createApi', () => {
  it('exposes one named method per channel, grouped by domain, and nothing generic', () => {
    const api = createApi(recordingTransport(() => Promise.resolve(null)).transport) as unknown as Record<
      string,
      Record<string, unknown>
    >;
    for (const channel of invokeChannels) {
      const [domain = '', verb = ''] = channel.split(':');
      expect(typeof api[domain]?.[verb]).toBe('function');
    }
    const domains = [...new Set([...invokeChannels, ...pushEvents].map((c) => c.split(':')[0]))].sort();
    expect(Object.keys(api).sort()).toEqual(domains);
    expect(domains).toContain('annotations');
    expect(api['invoke']).toBeUndefined();
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.isFrozen(api['batches'])).toBe(true);
  });

  it('sends the request on its own channel and returns the Result unchanged', async () => {
    const { transport, sent } = recordingTransport(() => Promise.resolve({ ok: true, value: 'x' }));
    const api = createApi(transport);
    await expect(api.batches.get({ batchId: 'b1' })).resolves.toEqual({ ok: true, value: 'x' });
    await api.session.get();
    expect(sent).toEqual([
      ['batches:get', { batchId: 'b1' }],
      ['session:get', undefined],
    ]);
  });

  it('turns a transport failure into an UNAVAILABLE Result instead of a rejection', async () => {
    const api = createApi(recordingTransport(() => Promise.reject(new Error('No handler registered'))).transport);
    const result = await api.app.getInfo();
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('UNAVAILABLE');
  });

  it('delivers push events to each listener until it unsubscribes', () => {
    const { transport, emit } = recordingTransport(() => Promise.resolve(null));
    const api = createApi(transport);
    const seen: unknown[] = [];
    const off = api.batches.onChanged((items) => seen.push(items));
    emit('batches:changed', []);
    off();
    emit('batches:changed', [1]);
    expect(seen).toEqual([[]]);
    expect(pushEvents).toContain('batches:changed');
  });
});
