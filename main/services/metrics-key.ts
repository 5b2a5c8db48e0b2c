/**
 * Gives the clip metrics seal its key: derived from the device key (purpose `clip-metrics`) on
 * first use, zero-filled and dropped at the lock like every other key. Rows written before
 * metrics flags were sealed are sealed at start, or at the first unlock when the app starts
 * locked.
 */
import { deriveLocalKey, type DeviceKey } from '../../core/crypto/device-key';
import type { MetricsFlagsSeal } from '../db/metrics-flags';
import type { TimingRepository } from '../db/repositories/timing.repository';
import type { Logger } from '../log/logger';
import type { EventHub } from './event-hub';
import { ServiceError } from './service-error';

export type MetricsKeyDeps = {
  readonly seal: Pick<MetricsFlagsSeal, 'useKey'>;
  readonly timing: Pick<TimingRepository, 'resealLegacyMetrics'>;
  readonly deviceKey: () => DeviceKey;
  readonly events: Pick<EventHub, 'on'>;
  readonly logger: Logger;
};

/** Installs the key source on the seal and seals older rows as soon as the key can be had. */
export function attachMetricsKey(d: MetricsKeyDeps): void {
  let key: Buffer | undefined;
  d.seal.useKey(() => {
    if (!key) {
      key = deriveLocalKey(d.deviceKey(), 'clip-metrics');
    }
    return key;
  });
  let resealed = false;
  const reseal = (): void => {
    if (resealed) {
      return;
    }
    try {
      d.deviceKey();
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'LOCKED') {
        return; // The unlock tries again.
      }
      throw error;
    }
    resealed = true;
    const count = d.timing.resealLegacyMetrics();
    if (count > 0) {
      d.logger.info('timing: clip metrics flags sealed', { count });
    }
  };
  reseal();
  d.events.on('lock:unlocked', reseal);
  d.events.on('lock:locked', () => {
    key?.fill(0);
    key = undefined;
  });
}
