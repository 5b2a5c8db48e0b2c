/**
 * Gives the clip metrics seal its key: derived from the device key (purpose `clip-metrics`) on
 * first use, zero-filled and dropped at the lock like every other key. Rows written before
 * metrics flags were sealed are sealed at start, or at the first unlock when the app starts
 * locked. The timing events' seal gets the device key's two halves: the public one seals (so it
 * works while locked), the private one opens; events from before their labels were sealed are
 * sealed at start, which needs only the public half.
 */
import type { KeyObject } from 'node:crypto';
import { deriveLocalKey, type DeviceKey } from '../../core/crypto/device-key';
import { z } from 'zod';
import type { MetricsFlagsSeal } from '../db/metrics-flags';
import type { SealedStateAccess } from '../db/sealed-state';
import type { TimingDetailSeal } from '../db/timing-details';
import type { TimingRepository } from '../db/repositories/timing.repository';
import type { Logger } from '../log/logger';
import type { EventHub } from './event-hub';
import { ServiceError } from './service-error';

export type MetricsKeyDeps = {
  readonly seal: Pick<MetricsFlagsSeal, 'useKey' | 'refuseLegacy' | 'forget'>;
  /** Remembers, out of reach of an edit, that the rows from before sealing were all sealed. */
  readonly state: Pick<SealedStateAccess, 'read' | 'advance'>;
  readonly details: Pick<TimingDetailSeal, 'useKeys'>;
  readonly timing: Pick<TimingRepository, 'resealLegacyMetrics' | 'resealLegacyEvents'>;
  readonly deviceKey: () => DeviceKey;
  /** The device public key: no secret, at hand while locked too. */
  readonly publicKey: () => KeyObject;
  readonly events: Pick<EventHub, 'on'>;
  readonly logger: Logger;
};

const LEGACY_RESEALED = 'legacyResealed';
const legacyResealedSchema = z.strictObject({ metrics: z.literal(true) });

/** Installs the key source on the seal and seals older rows as soon as the key can be had. */
export function attachMetricsKey(d: MetricsKeyDeps): void {
  let key: Buffer | undefined;
  d.seal.useKey(() => {
    if (!key) {
      key = deriveLocalKey(d.deviceKey(), 'clip-metrics');
    }
    return key;
  });
  d.details.useKeys({ publicKey: d.publicKey, deviceKey: d.deviceKey });
  const events = d.timing.resealLegacyEvents();
  if (events > 0) {
    d.logger.info('timing: event labels sealed', { count: events });
  }
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
    const done = d.state.read(LEGACY_RESEALED, legacyResealedSchema);
    if (done.state === 'absent') {
      const count = d.timing.resealLegacyMetrics();
      if (count > 0) {
        d.logger.info('timing: clip metrics flags sealed', { count });
      }
      d.state.advance(LEGACY_RESEALED, legacyResealedSchema, { metrics: true });
    } else if (done.state === 'refused') {
      d.logger.error('timing: the record of sealed metrics cannot be trusted', { fault: done.error.fault });
    }
    // Plain flags from here on are edits, never sealed as if genuine.
    d.seal.refuseLegacy();
  };
  reseal();
  d.events.on('lock:unlocked', reseal);
  d.events.on('lock:locked', () => {
    key?.fill(0);
    key = undefined;
    d.seal.forget();
  });
}
