/** The clip metrics key is dropped at the lock, and with it the flags kept in memory since they were sealed. */
import { describe, expect, it, vi } from 'vitest';
import { generateDeviceKey } from '../../../core/crypto/device-key';
import { attachMetricsKey, type MetricsKeyDeps } from '../../../main/services/metrics-key';
import { quietLogger } from '../../../bench/quiet-logger';

describe('the clip metrics key at the lock', () => {
  it('forgets the flags kept in memory when the workstation locks', () => {
    const handlers = new Map<string, () => void>();
    const device = generateDeviceKey();
    const forget = vi.fn();
    const deps = {
      seal: { useKey: vi.fn(), refuseLegacy: vi.fn(), forget },
      state: { read: () => ({ state: 'present', value: { metrics: true } }), advance: vi.fn() },
      details: { useKeys: vi.fn() },
      timing: { resealLegacyMetrics: () => 0, resealLegacyEvents: () => 0 },
      deviceKey: () => device,
      publicKey: () => device.publicKey,
      events: { on: (event: string, handler: () => void) => handlers.set(event, handler) },
      logger: quietLogger,
    } as unknown as MetricsKeyDeps;
    attachMetricsKey(deps);
    expect(forget).not.toHaveBeenCalled();
    handlers.get('lock:locked')?.();
    expect(forget).toHaveBeenCalledTimes(1);
  });
});
