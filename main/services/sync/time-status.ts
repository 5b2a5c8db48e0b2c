/** What the sync status says of service time and the service's key (shared/domain/sync.ts). */
import type { SyncStatus } from '../../../shared/domain/sync';
import type { TrustedClock } from '../trusted-clock';
import type { ServiceTrust } from './service-trust';

export function timeStatus(d: {
  readonly serviceUrl: string | null;
  readonly clock: Pick<TrustedClock, 'skewMs'>;
  readonly trust: Pick<ServiceTrust, 'info'>;
}): Pick<SyncStatus, 'clockSkewMs' | 'serviceKey'> {
  // Without a service there is no key to show, and no sealed state is read for one.
  return { clockSkewMs: d.clock.skewMs(), serviceKey: d.serviceUrl === null ? null : d.trust.info() };
}
