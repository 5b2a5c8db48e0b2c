/** What the sync status says of service time and the service's key (shared/domain/sync.ts). */
import type { SyncStatus } from '../../../shared/domain/sync';
import type { TrustedClock } from '../trusted-clock';
import type { ServiceTrust } from './service-trust';

export function timeStatus(d: {
  readonly clock: Pick<TrustedClock, 'skewMs'>;
  readonly trust: Pick<ServiceTrust, 'info'>;
}): Pick<SyncStatus, 'clockSkewMs' | 'serviceKey'> {
  return { clockSkewMs: d.clock.skewMs(), serviceKey: d.trust.info() };
}
