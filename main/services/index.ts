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
import { createSessionService } from './session.service';
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
};

export function createServices(options: ServiceOptions) {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(options.dataDir, 'earmark.db'), {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  const events = createEventHub();
  const clock = createTrustedClock(db.settings, options.clock);
  const vaultService = createVaultService({
    vault: db.vault,
    batches: db.batches,
    keyStore: options.keyStore,
    clock,
    events,
    logger: options.logger,
  });
  const annotations = createAnnotationService({
    annotations: db.annotations,
    batches: db.batches,
    clips: db.vault,
    vault: vaultService,
    clock,
    events,
  });
  return {
    logger: options.logger,
    /** What the admin pinned; a settings service applies it with `effectiveSettings`. */
    policy: Object.freeze<Policy>(options.policy ?? {}),
    events,
    appInfo: createAppInfoService(options.appVersion),
    session: createSessionService(db.settings),
    batches: createBatchService(db.batches),
    clock,
    vault: vaultService,
    annotations,
    demo: createDemoService({
      resourcesDir: options.resourcesDir,
      dataDir: options.dataDir,
      vault: vaultService,
      batches: db.batches,
      clock,
      logger: options.logger,
    }),
    close: (): void => {
      vaultService.forgetKeys();
      annotations.forgetKey();
      db.close();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
