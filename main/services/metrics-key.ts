/**
 * Gives the clip metrics seal its key: derived from the device key (purpose `clip-metrics`) on
 * first use, zero-filled and dropped at the lock like every other key. The first time it is at
 * hand, rows written before metrics flags were sealed are sealed too.
 */
import { deriveLocalKey, type DeviceKey } from '../../core/crypto/device-key';
import type { MetricsFlagsSeal } from '../db/metrics-flags';
import type { TimingRepository } from '../db/repositories/timing.repository';
import type { Logger } from '../log/logger';
import type { EventHub } from './event-hub';

export type MetricsKeyDeps = {
  readonly seal: Pick<MetricsFlagsSeal, 'useKey'>;
  readonly timing: Pick<TimingRepository, 'resealLegacyMetrics'>;
  readonly deviceKey: () => DeviceKey;
  readonly events: Pick<EventHub, 'on'>;
  readonly logger: Logger;
};

/** Installs the key source on the seal. */
export function attachMetricsKey(d: MetricsKeyDeps): void {
  let key: Buffer | undefined;
  let resealed = false;
  d.seal.useKey(() => {
    if (!key) {
      key = deriveLocalKey(d.deviceKey(), 'clip-metrics');
    }
    if (!resealed) {
      resealed = true;
      const count = d.timing.resealLegacyMetrics();
      if (count > 0) {
        d.logger.info('timing: clip metrics flags sealed', { count });
      }
    }
    return key;
  });
  d.events.on('lock:locked', () => {
    key?.fill(0);
    key = undefined;
  });
}
