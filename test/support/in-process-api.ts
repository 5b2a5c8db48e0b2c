/**
 * The real renderer API, running in this process: a temp data folder, the real services, the
 * real handler table and dispatcher, and createApi over a transport that calls the dispatcher
 * directly. Tests drive the store through this instead of a hand-written mock, so every call
 * still passes the sender check and the request schemas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type AppDatabase } from '../../main/db/database';
import { createDispatcher } from '../../main/ipc/dispatcher';
import { createHandlerTable } from '../../main/ipc/handlers';
import type { SenderInfo } from '../../main/ipc/sender';
import { silentLogger } from '../../main/log/logger';
import type { Policy } from '../../main/policy/policy.schema';
import { createServices, type Services } from '../../main/services';
import type { SyncDialogs } from '../../main/services/sync/offline';
import type { ReviewerApi } from '../../shared/ipc/contract';
import { createApi, type Transport } from '../../shared/ipc/create-api';
import { testKeyStore } from './test-safe-storage';

export const TEST_ORIGIN = 'app://earmark';
export const TEST_APP_VERSION = '0.0.0-test';

/** The sender an app window would be: our own window, showing our own origin. */
const ownWindow: SenderInfo = { frameUrl: `${TEST_ORIGIN}/index.html`, fromOwnWindow: true };

export type InProcessApiOptions = {
  /**
   * Writes rows before the services open the database. Services expose no repository, so a
   * test that needs batches on disk seeds them here, through the same repositories main uses.
   */
  readonly seed?: (db: AppDatabase) => void;
  /** An admin policy, as the shell would pass it. */
  readonly policy?: Policy;
  /** The annotation service to sync with (a reference service the test started). */
  readonly serviceUrl?: string;
  /** What the native choosers answer (a package, a folder), as the shell's dialogs would. */
  readonly dialogs?: SyncDialogs;
};

export type InProcessApi = {
  readonly api: ReviewerApi;
  readonly services: Services;
  readonly dataDir: string;
  /** Closes the services and removes the data folder. Safe to call more than once. */
  cleanup(): void;
};

export function createInProcessApi(options: InProcessApiOptions = {}): InProcessApi {
  const dataDir = mkdtempSync(join(tmpdir(), 'earmark-renderer-test-'));
  try {
    if (options.seed) {
      // Same file name as createServices uses; closed again before the services open it.
      const db = openDatabase(join(dataDir, 'earmark.db'));
      try {
        options.seed(db);
      } finally {
        db.close();
      }
    }
    const services = createServices({
      dataDir,
      appVersion: TEST_APP_VERSION,
      logger: silentLogger,
      keyStore: testKeyStore(dataDir),
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.serviceUrl ? { serviceUrl: options.serviceUrl } : {}),
      ...(options.dialogs ? { dialogs: options.dialogs } : {}),
    });
    const dispatcher = createDispatcher({
      handlers: createHandlerTable(services),
      allowedOrigin: TEST_ORIGIN,
      logger: silentLogger,
    });
    const transport: Transport = {
      invoke: (channel, payload) => dispatcher.invoke(ownWindow, channel, payload),
      subscribe: (event, listener) =>
        services.events.subscribe((name, payload) => {
          if (name === event) {
            listener(payload);
          }
        }),
    };
    let closed = false;
    return {
      api: createApi(transport),
      services,
      dataDir,
      cleanup: () => {
        if (!closed) {
          closed = true;
          services.close();
        }
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
