/* eslint-disable max-lines -- the composition root: one line or block per service, in dependency order; splitting it would hide that order. */
/**
 * Builds every main-process service over one data folder. The Electron shell and the browser
 * test harness both call this, so the code under test is the code that ships.
 *
 * It only constructs and connects: every rule lives in the service that owns it, services
 * reach each other through the dependencies they declare or through events on the hub, and
 * each is built after everything it needs, so the order below is the dependency order.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../db/database';
import { DatabaseCorruptError } from '../db/integrity';
import { createSealedState } from '../db/sealed-state';
import type { KeyStore } from '../crypto/key-store';
import type { Logger } from '../log/logger';
import type { Policy } from '../policy/policy.schema';
import { createAnnotationService } from './annotation.service';
import { createAppInfoService } from './app-info.service';
import { createBatchService } from './batch.service';
import { createConsentService } from './consent.service';
import { createDemoService } from './demo.service';
import { ownBatches } from './own-batches';
import { createDeviceKeys } from './device-keys';
import { createDeviceService } from './device.service';
import { createEventHub } from './event-hub';
import { createHeldDrafts } from './held-drafts';
import { createInbox } from './inbox/create-inbox';
import { sweepLeftovers } from './leftovers';
import { createSealedExpiries } from './sealed-expiries';
import { createHearingService } from './hearing.service';
import { createLockService } from './lock.service';
import { attachMetricsKey } from './metrics-key';
import { createClipRefs } from './clip-refs';
import { createReportService, type ReportExporter } from './report.service';
import { createSessionService } from './session.service';
import { createShiftService } from './shift.service';
import { createTimingService } from './timing.service';
import { createSettingsService } from './settings.service';
import { createOfflineStationService, type SyncDialogs } from './offline-station.service';
import { createSyncService, type SyncTimers } from './sync.service';
import { createIdentityVouch } from './sync/identity-vouch';
import { createSealedMarks } from './sync/sealed-marks';
import { createServiceTime, switchVacuumOnce, watchCommittedWork } from './start-up';
import type { ClockSources } from './trusted-clock';
import { prepareImportWorker } from './import/import-worker-files';
import { createVaultService } from './vault.service';
import type { TeamShiftsQuery } from '../../shared/sync/team-shifts';

export type ServiceOptions = {
  /** The folder that holds the database; created if missing. */
  readonly dataDir: string;
  readonly appVersion: string;
  readonly logger: Logger;
  /** Where the device private key lives: Electron safeStorage in the app. */
  readonly keyStore: KeyStore;
  /** Bundled resources (the demo clips); undefined where there are none. */
  readonly resourcesDir?: string;
  /** Wall and monotonic clocks; tests turn them. */
  readonly clock?: ClockSources;
  /** The better-sqlite3 addon built for Electron's ABI, when running under Electron. */
  readonly nativeBinding?: string;
  /** The validated admin policy (main/policy); its values win over user settings. */
  readonly policy?: Policy;
  /**
   * The annotation service for development and tests, used only when the policy pins none
   * (the shell takes it from EARMARK_SERVICE_URL in unpackaged builds).
   */
  readonly serviceUrl?: string | undefined;
  /** How the sync sender reaches the service and waits; tests replace them. */
  readonly sync?: {
    readonly fetch?: typeof fetch;
    readonly timers?: SyncTimers;
    readonly random?: () => number;
    readonly pollIntervalMs?: number;
  };
  /** Save dialogs and printing for shift reports (the shell's); absent where there is no desktop. */
  readonly reportExporter?: ReportExporter;
  /** Native folder and file choosers for offline stations (the shell's); absent in tests. */
  readonly dialogs?: SyncDialogs;
};

export function createServices(options: ServiceOptions) {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  // What an earlier run that crashed left behind goes before anything else reads the folder.
  const sweep = (): void => {
    sweepLeftovers(options.dataDir, options.logger);
  };
  sweep();
  const dbFile = join(options.dataDir, 'earmark.db');
  let db;
  try {
    db = openDatabase(dbFile, {
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
  } catch (error) {
    if (error instanceof DatabaseCorruptError) {
      // Page numbers and b-tree names only: the check quotes no content.
      options.logger.error('database: quick check failed', { problems: error.problems.join('; ').slice(0, 500) });
    }
    throw error;
  }
  const events = createEventHub({ afterCommit: db.unitOfWork.afterCommit });
  const deviceKeys = createDeviceKeys(options.keyStore);
  // One sealed state for every entry: it starts the anchor over once for a new database.
  const sealedState = createSealedState({
    settings: db.settings,
    anchor: options.keyStore,
    deviceKey: deviceKeys.deviceKey,
    newDatabase: db.created,
  });
  const serviceUrl = options.policy?.serviceUrl ?? options.serviceUrl ?? null;
  const { clock, serviceTrust } = createServiceTime({
    db,
    sealedState,
    deviceKeys,
    policy: options.policy,
    logger: options.logger,
    sources: options.clock,
  });
  const session = createSessionService(
    db.settings,
    events,
    deviceKeys.deviceKeyOnce,
    createIdentityVouch({ trust: serviceTrust, clock, deviceKeyId: () => deviceKeys.devicePublicKey().keyId }),
  );
  // What the reviewer's calls reach: the signed-in reviewer's batches, never another's.
  const batches = ownBatches({
    batches: db.batches,
    syncBatches: db.syncBatches,
    reviewer: () => (session.get().mode === 'service' ? session.get().identity.pseudonym : null),
  });
  // The service's expiry of each batch held here, sealed: an edited batch row cannot undo one brought forward.
  const expiries = createSealedExpiries({
    state: sealedState,
    logger: options.logger,
    isActive: (batchId) => db.batches.status(batchId) === 'active',
  });
  const vault = createVaultService({
    vault: db.vault,
    expiries,
    batches,
    unitOfWork: db.unitOfWork,
    deviceKeys,
    clock,
    events,
    logger: options.logger,
    afterErase: sweep,
    staging: db.importStaging,
    worker: { dbFile, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) },
  });
  vault.discardUnfinishedImports();
  attachMetricsKey({
    seal: db.metricsFlags,
    state: sealedState,
    details: db.timingDetails,
    timing: db.timing,
    deviceKey: deviceKeys.deviceKey,
    publicKey: () => deviceKeys.devicePublicKey().publicKey,
    events,
    logger: options.logger,
  });
  const clipRefs = createClipRefs({
    deviceKey: deviceKeys.deviceKey,
    deviceKeyOnce: deviceKeys.deviceKeyOnce,
    events,
  });
  // Before the import worker opens its connection: the one-time rewrite runs alone.
  switchVacuumOnce(db, options.logger);
  prepareImportWorker();
  const committedWork = watchCommittedWork({ state: sealedState, outbox: db.outbox, events, logger: options.logger });
  const settings = createSettingsService({
    settings: db.settings,
    policy: options.policy ?? {},
    events,
    logger: options.logger,
  });
  const shifts = createShiftService({
    shifts: db.shifts,
    timing: db.timing,
    clock,
    session: session.get,
    // Read on every use, so a changed setting or a pinned policy value applies at once.
    settings: () => settings.get().values,
    events,
  });
  const timing = createTimingService({
    timing: db.timing,
    outbox: db.timingOutbox,
    shiftRows: db.shifts,
    shifts,
    clock,
    events,
    logger: options.logger,
    clipRef: clipRefs.ref,
    clipFacts: (batchId, clipId) => vault.openClip(batchId, clipId),
  });
  const lock = createLockService({
    settings: db.settings,
    vault,
    clock,
    events,
    logger: options.logger,
    failures: sealedState.withDeviceKey(deviceKeys.deviceKeyOnce),
    serviceMode: serviceUrl !== null,
  });
  const annotations = createAnnotationService({
    annotations: db.annotations,
    batches,
    clips: db.vault,
    vault,
    clipRef: clipRefs.ref,
    clock,
    events,
    logger: options.logger,
    unitOfWork: db.unitOfWork,
    measureSubmit: (annotation) => timing.clipSubmitted(annotation),
    lockState: lock,
    heldDrafts: createHeldDrafts({ settings: db.settings, publicKey: () => vault.devicePublicKey() }),
    author: () => session.get().identity.pseudonym,
  });
  const consent = createConsentService({
    consent: db.consent,
    vault: db.vault,
    batches,
    events,
    clock,
    logger: options.logger,
    clipRef: clipRefs.ref,
    forgetErased: () => {
      annotations.forgetPlaintext();
      db.metricsFlags.forget();
    },
  });
  const sync = createSyncService({
    serviceUrl,
    outbox: db.outbox,
    syncBatches: db.syncBatches,
    syncMarks: db.syncMarks,
    sealedMarks: createSealedMarks({ marks: db.syncMarks, state: sealedState, logger: options.logger }),
    batches: db.batches,
    expiries,
    settings: db.settings,
    annotations,
    vault,
    session,
    clock,
    trust: serviceTrust,
    events,
    logger: options.logger,
    dataDir: options.dataDir,
    timing,
    consent,
    ...(options.sync?.fetch ? { fetch: options.sync.fetch } : {}),
    ...(options.sync?.timers ? { timers: options.sync.timers } : {}),
    ...(options.sync?.random ? { backoff: { random: options.sync.random } } : {}),
    ...(options.sync?.pollIntervalMs ? { pollIntervalMs: options.sync.pollIntervalMs } : {}),
    lock,
    purgeGraceMs: () => settings.get().values.purgeGraceMinutes * 60_000,
  });
  const inbox = createInbox({ db, deviceKeys, sync, session, events, clock, logger: options.logger });
  const offline = createOfflineStationService({
    outbox: db.outbox,
    syncBatches: db.syncBatches,
    annotations,
    vault,
    timing,
    dialogs: options.dialogs,
    serviceKey: sync.serviceKey,
    now: () => clock.now(),
    author: sync.author,
    service: { configured: serviceUrl !== null, listedBatches: () => sync.listedBatches() },
    audit: sync.audit,
    changed: sync.publish,
  });
  const hearing = createHearingService({ sync, deviceKeys, clock, events, logger: options.logger });
  return {
    logger: options.logger,
    /** What the admin pinned; a settings service applies it with `effectiveSettings`. */
    policy: Object.freeze<Policy>(options.policy ?? {}),
    events,
    appInfo: createAppInfoService(options.appVersion),
    /** Erases clips whose consent was withdrawn; sync calls it with what the batch status names. */
    consent,
    session,
    /** Effective settings (defaults ← reviewer ← policy) and the reviewer's changes to them. */
    settings,
    batches: createBatchService(batches),
    clock,
    /** Which key speaks for the annotation service: pinned by the policy or kept on first use. */
    serviceTrust,
    vault,
    annotations,
    /** Shifts, breaks and the reviewer's pace panel. */
    shifts,
    /** Timing events, per-clip metrics and power changes; rows for sync. */
    timing,
    /** Shift reports for supervisors (role-gated). */
    reports: createReportService({
      shifts: db.shifts,
      timing: db.timing,
      clock,
      vouchedRole: session.vouchedRole,
      ownPseudonym: () => session.get().identity.pseudonym,
      logger: options.logger,
      exporter: options.reportExporter,
      ...(serviceUrl ? { team: (query: TeamShiftsQuery) => sync.teamShifts(query) } : {}),
      ...(serviceUrl ? { teamSecondListens: (query) => sync.hearing().teamCounts(query) } : {}),
      escalationCategory: (id) => annotations.escalationById(id)?.category ?? null,
    }),
    /** Whether the database still holds all the work it acknowledged (a lost WAL, an older copy). */
    committedWork,
    /** Sign-in, enrolment and the background sender to the annotation service. */
    sync,
    /** Offline stations: batch packages from a folder, results packages to a file. */
    offline,
    /** The escalation inbox: supervisors' answers, reviewers' view of their own escalations. */
    inbox,
    /** One clip held apart to be heard (an escalation, a second listen) and the team help queue. */
    hearing,
    /** Locks on idle time, OS lock and suspend; unlocks with the sign-in password or a PIN. */
    lock,
    /** The workstation's public key: fingerprint and a PEM file for offline packing. */
    device: createDeviceService({ devicePublicKey: deviceKeys.devicePublicKey, dialogs: options.dialogs }),
    demo: createDemoService({
      resourcesDir: options.resourcesDir,
      dataDir: options.dataDir,
      vault,
      batches: db.batches,
      clock,
      logger: options.logger,
    }),
    close: (): void => {
      sync.dispose();
      hearing.dispose();
      vault.stopImports();
      vault.forgetKeys();
      annotations.forgetKey();
      db.metricsFlags.forget();
      db.close();
    },
    /**
     * Stops syncing, cancels the running imports and asks the import workers to end; settles once they have
     * (within milliseconds: an import stops at its next clip). Called before {@link close} as the
     * app quits: a process that exits while one still runs stops it wherever it is, and a thread
     * stopped inside a call into the database addon aborts the process.
     */
    endWorkers: (): Promise<void> => {
      // No more cycles either: one could check a batch out and start an import meanwhile.
      sync.dispose();
      vault.stopImports();
      return vault.importsEnded();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
