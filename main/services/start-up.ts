/**
 * Start-up steps of the services' composition root (index.ts) that need several parts at once:
 * trusted time with the service's signing key, the one-time switch to incremental vacuum, and the
 * check of committed work.
 */
import type { openDatabase } from '../db/database';
import type { createSealedState } from '../db/sealed-state';
import type { Logger } from '../log/logger';
import type { Policy } from '../policy/policy.schema';
import { createCommittedWork } from './committed-work';
import type { createDeviceKeys } from './device-keys';
import type { EventHub } from './event-hub';
import { createServiceTrust } from './sync/service-trust';
import { createTrustedClock, DEFAULT_MAX_CLOCK_SKEW_MS, type ClockSources } from './trusted-clock';

type Database = ReturnType<typeof openDatabase>;

/**
 * The trusted clock (its floor and offset to service time in sealed state) and the service's
 * signing key as this workstation trusts it (pinned by the policy, or kept on first use).
 */
export function createServiceTime(d: {
  readonly db: Database;
  readonly sealedState: ReturnType<typeof createSealedState>;
  readonly deviceKeys: ReturnType<typeof createDeviceKeys>;
  readonly policy: Policy | undefined;
  readonly logger: Logger;
  readonly sources: ClockSources | undefined;
}) {
  const clock = createTrustedClock(
    {
      state: {
        // Read once per run, while locked too (the key is read for that one use): the floor and
        // the offset to service time keep a wrong local clock from deciding anything before the
        // unlock. Saved only with the device key in memory, so a locked app loads no key for it.
        read: (name, schema) => d.sealedState.withDeviceKey(d.deviceKeys.deviceKeyOnce).read(name, schema),
        advance: (name, schema, value) => d.sealedState.advance(name, schema, value),
      },
      settings: d.db.settings,
      logger: d.logger,
      holdsBatches: () => d.db.batches.list().length > 0,
      maxSkewMs:
        d.policy?.maxClockSkewSeconds !== undefined ? d.policy.maxClockSkewSeconds * 1000 : DEFAULT_MAX_CLOCK_SKEW_MS,
    },
    d.sources,
  );
  // The service's signing key: pinned by the policy, or kept on first use (read while locked too).
  const serviceTrust = createServiceTrust({
    pinned: d.policy?.servicePublicKey ?? null,
    state: d.sealedState.withDeviceKey(d.deviceKeys.deviceKeyOnce),
    logger: d.logger,
    now: () => clock.now(),
  });
  return { clock, serviceTrust };
}

/** A database made before incremental auto-vacuum is switched to it, once, with no batch active. */
export function switchVacuumOnce(db: Pick<Database, 'switchToIncrementalVacuum'>, logger: Logger): void {
  const vacuum = db.switchToIncrementalVacuum();
  if (vacuum.switched) {
    logger.info('database: switched to incremental auto-vacuum', {
      bytesBefore: vacuum.bytesBefore,
      bytesAfter: vacuum.bytesAfter,
    });
  }
}

/**
 * The sealed high-water mark of committed work: compared at start (or at the first unlock, when
 * the device key is not available yet), then raised after each revision's commit, never on drafts.
 */
export function watchCommittedWork(d: {
  readonly state: ReturnType<typeof createSealedState>;
  readonly outbox: Database['outbox'];
  readonly events: Pick<EventHub, 'on'>;
  readonly logger: Logger;
}) {
  const committedWork = createCommittedWork({ state: d.state, current: d.outbox.committedWork, logger: d.logger });
  if (committedWork.check().state === 'unchecked') {
    const off = d.events.on('lock:unlocked', () => {
      off();
      committedWork.check();
    });
  }
  d.events.on('work:saved', () => committedWork.record());
  return committedWork;
}
