/**
 * Builds every main-process service over one data folder. The Electron shell and the browser
 * test harness both call this, so the code under test is the code that ships.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../db/database';
import type { KeyStore } from '../crypto/key-store';
import type { Logger } from '../log/logger';
import type { Policy } from '../policy/policy.schema';
import { createAnnotationService } from './annotation.service';
import { createAppInfoService } from './app-info.service';
import { createBatchService } from './batch.service';
import { createDemoService } from './demo.service';
import { createEventHub } from './event-hub';
import { createLockService } from './lock.service';
import { createReportService, type ReportExporter } from './report.service';
import { createSessionService } from './session.service';
import { createShiftService, type TimingSettings } from './shift.service';
import { createTimingService } from './timing.service';
import { createSettingsService } from './settings.service';
import { createSyncService, type SyncDialogs, type SyncTimers } from './sync.service';
import { createTrustedClock, type ClockSources } from './trusted-clock';
import { createVaultService } from './vault.service';

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
  const db = openDatabase(join(options.dataDir, 'earmark.db'), {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  const events = createEventHub({ afterCommit: db.unitOfWork.afterCommit });
  const clock = createTrustedClock(db.settings, options.clock);
  const vaultService = createVaultService({
    vault: db.vault,
    batches: db.batches,
    unitOfWork: db.unitOfWork,
    keyStore: options.keyStore,
    clock,
    events,
    logger: options.logger,
  });
  const session = createSessionService(db.settings, events);
  const settings = createSettingsService({
    settings: db.settings,
    policy: options.policy ?? {},
    events,
    logger: options.logger,
  });
  // Read on every use, so a changed setting or a pinned policy value applies at once.
  const timingSettings = (): TimingSettings => {
    const { idleSeconds, breaks } = settings.get().values;
    return { idleSeconds, breaks };
  };
  const shifts = createShiftService({
    shifts: db.shifts,
    timing: db.timing,
    clock,
    session: session.get,
    settings: timingSettings,
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
    // Length and hypothesis for the metrics; both stay in main, and only numbers are stored.
    clipFacts: (batchId, clipId) => {
      const clip = vaultService.openClip(batchId, clipId);
      return { durationMs: clip.durationMs, asrText: clip.asrText };
    },
  });
  // The sender starts after each save; it is made below, once the annotation service exists.
  let saved = (): void => undefined;
  const annotationService = createAnnotationService({
    annotations: db.annotations,
    batches: db.batches,
    clips: db.vault,
    vault: vaultService,
    clock,
    events,
    author: () => session.get().identity.pseudonym,
    saved: () => saved(),
  });
  // A submit and its metrics commit together, so a crash cannot keep one without the other.
  const annotations = {
    ...annotationService,
    submit: (request: Parameters<typeof annotationService.submit>[0]) =>
      db.unitOfWork.run(() => {
        const annotation = annotationService.submit(request);
        timing.clipSubmitted(annotation);
        return annotation;
      }),
    // Locked, the annotation key is gone and must stay gone: the lock keeps the draft sealed for
    // the device public key and saves it as a draft at unlock.
    saveDraft: (...args: Parameters<typeof annotationService.saveDraft>) => {
      const [batchId, clipId, basedOnRevision, body, disposition = null] = args;
      return lock.isLocked()
        ? lock.holdDraft({ batchId, clipId, basedOnRevision, body, disposition })
        : annotationService.saveDraft(...args);
    },
  };
  const lock = createLockService({
    settings: db.settings,
    vault: vaultService,
    forgetAnnotationKey: () => annotations.forgetKey(),
    saveDraft: (h) => annotationService.saveDraft(h.batchId, h.clipId, h.basedOnRevision, h.body, h.disposition),
    clipExists: (batchId, clipId) => db.batches.find(batchId) !== undefined && db.vault.hasClip(batchId, clipId),
    clock,
    events,
    logger: options.logger,
    audit: (type) => sync.audit(type),
    unlocked: () => sync.kick(),
  });
  // Drafts a crash left sealed while locked are saved now, before anyone reads them.
  lock.recoverHeldDrafts();
  const sync = createSyncService({
    serviceUrl: options.policy?.serviceUrl ?? options.serviceUrl ?? null,
    outbox: db.outbox,
    syncBatches: db.syncBatches,
    batches: db.batches,
    settings: db.settings,
    annotations,
    vault: vaultService,
    session,
    clock,
    events,
    logger: options.logger,
    dataDir: options.dataDir,
    timing,
    ...(options.sync?.fetch ? { fetch: options.sync.fetch } : {}),
    ...(options.sync?.timers ? { timers: options.sync.timers } : {}),
    ...(options.sync?.random ? { backoff: { random: options.sync.random } } : {}),
    ...(options.sync?.pollIntervalMs ? { pollIntervalMs: options.sync.pollIntervalMs } : {}),
    dialogs: options.dialogs,
    lock,
  });
  saved = () => sync.kick();
  return {
    logger: options.logger,
    /** What the admin pinned; a settings service applies it with `effectiveSettings`. */
    policy: Object.freeze<Policy>(options.policy ?? {}),
    events,
    appInfo: createAppInfoService(options.appVersion),
    session,
    /** Effective settings (defaults ← reviewer ← policy) and the reviewer's changes to them. */
    settings,
    batches: createBatchService(db.batches),
    clock,
    vault: vaultService,
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
      session: session.get,
      logger: options.logger,
      exporter: options.reportExporter,
    }),
    /** Sign-in, enrolment and the background sender to the annotation service. */
    sync,
    /** Locks on idle time, OS lock and suspend; unlocks with the sign-in password or a PIN. */
    lock,
    demo: createDemoService({
      resourcesDir: options.resourcesDir,
      dataDir: options.dataDir,
      vault: vaultService,
      batches: db.batches,
      clock,
      logger: options.logger,
    }),
    close: (): void => {
      sync.dispose();
      vaultService.forgetKeys();
      annotations.forgetKey();
      db.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
