import { join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { aad } from '../../core/crypto/aead';
import { openJson, sealedFromText, sealedToText, sealJson } from '../../core/crypto/codec';
import { deriveLocalKey } from '../../core/crypto/device-key';
import type { KeyStore } from '../../main/crypto/key-store';
import { silentLogger } from '../../main/log/logger';
import type { Policy } from '../../main/policy/policy.schema';
import { createServices, type ServiceOptions, type Services } from '../../main/services';
import { ServiceError } from '../../main/services/service-error';
import type { AppDatabase } from '../../main/db/database';
import { createSealedState } from '../../main/db/sealed-state';
import { createDeviceKeys } from '../../main/services/device-keys';
import { createTrustedClock, type ClockSources, type TrustedClock } from '../../main/services/trusted-clock';
import type { ErrorCode } from '../../shared/result';
import { makeTempDir } from './temp-dir';
import { testKeyStore } from './test-safe-storage';

export type ServicesEnv = {
  readonly services: Services;
  readonly dataDir: string;
  /** Closes the services and opens new ones over the same folder, as a restart would. */
  reopen(): Services;
  dispose(): void;
};

export type MakeServicesOptions = {
  /** Wall and monotonic clocks for the trusted clock; the system's when absent. */
  readonly clock?: ClockSources;
  /** An admin policy, as the shell would pass it. */
  readonly policy?: Policy;
  /** The annotation service to sync with (the reference service in tests). */
  readonly serviceUrl?: string;
  /** The sync sender's fetch, timers and randomness. */
  readonly sync?: ServiceOptions['sync'];
  /** Save dialogs and printing for shift reports. */
  readonly reportExporter?: ServiceOptions['reportExporter'];
  /** Wraps the test key store (to count or refuse loads); the data folder's store is passed in. */
  readonly keyStore?: (store: KeyStore) => KeyStore;
};

/** Real main-process services over a private temporary data folder. */
export function makeServices(options: MakeServicesOptions = {}): ServicesEnv {
  const tmp = makeTempDir('earmark-svc-');
  const open = (): Services =>
    createServices({
      dataDir: tmp.dir,
      appVersion: '0.0.0-test',
      logger: silentLogger,
      keyStore: options.keyStore ? options.keyStore(testKeyStore(tmp.dir)) : testKeyStore(tmp.dir),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.policy ? { policy: options.policy } : {}),
      ...(options.serviceUrl ? { serviceUrl: options.serviceUrl } : {}),
      ...(options.sync ? { sync: options.sync } : {}),
      ...(options.reportExporter ? { reportExporter: options.reportExporter } : {}),
    });
  let current = open();
  return {
    get services() {
      return current;
    },
    dataDir: tmp.dir,
    reopen() {
      current.close();
      current = open();
      return current;
    },
    dispose() {
      current.close();
      tmp.remove();
    },
  };
}

/** A clock a test turns by hand: `advance` moves both clocks, `setWall` only the wall clock. */
export type TestClock = ClockSources & {
  advance(ms: number): void;
  setWall(ms: number): void;
};

export function makeTestClock(startWall: number): TestClock {
  let wall = startWall;
  // Fractional, like performance.now().
  let monotonic = 1_000.375;
  return {
    wall: () => wall,
    monotonic: () => monotonic,
    advance(ms) {
      wall += ms;
      monotonic += ms;
    },
    setWall(ms) {
      wall = ms;
    },
  };
}

/** Reads the services' database over a second, read-only connection, as an auditor would. */
export function queryDb<T>(dataDir: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(join(dataDir, 'earmark.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare<unknown[], T>(sql).all(...params);
  } finally {
    db.close();
  }
}

/** Runs `work`, expecting a ServiceError with `code`; returns its message. Anything else fails. */
export function serviceError(code: ErrorCode, work: () => unknown): string {
  return serviceFailure(code, work).message;
}

/** Runs `work`, expecting a ServiceError with `code`; returns it whole, for its details. */
export function serviceFailure(code: ErrorCode, work: () => unknown): ServiceError {
  try {
    work();
  } catch (error) {
    if (error instanceof ServiceError && error.code === code) {
      return error;
    }
    const got = error instanceof ServiceError ? `${error.code}: ${error.message}` : String(error);
    throw new Error(`Expected a ${code} error; got ${got}`, { cause: error });
  }
  throw new Error(`Expected a ${code} error; the call succeeded.`);
}

/**
 * A trusted clock over a test database, as the app builds one: its floor sealed under the
 * device key of `dataDir`'s test key store.
 */
export function makeTrustedClock(db: AppDatabase, dataDir: string, sources?: ClockSources): TrustedClock {
  const keyStore = testKeyStore(dataDir);
  const deviceKeys = createDeviceKeys(keyStore);
  return createTrustedClock(
    {
      state: createSealedState({
        settings: db.settings,
        anchor: keyStore,
        deviceKey: deviceKeys.deviceKey,
        newDatabase: db.created,
      }),
      settings: db.settings,
      logger: silentLogger,
    },
    sources,
  );
}

/**
 * Makes the data folder's sealed state forget entry `name` (its row and its anchor counter), as a
 * database from before that entry existed would be: for tests of what an upgrade does once.
 */
export function forgetSealedEntry(dataDir: string, name: string): void {
  const store = testKeyStore(dataDir);
  const key = deriveLocalKey(store.loadOrCreateDeviceKey(), 'sealed-state');
  const anchorAad = aad('sealed-state-anchor', '1');
  const text = store.readStateAnchor();
  if (text === undefined) {
    throw new Error('No state anchor to edit.');
  }
  const counters = openJson(key, sealedFromText(text.trim()), anchorAad, z.record(z.string(), z.number()), 'anchor');
  const { [name]: _gone, ...rest } = counters;
  store.writeStateAnchor(sealedToText(sealJson(key, rest, anchorAad)));
  const db = new Database(join(dataDir, 'earmark.db'));
  try {
    db.prepare('DELETE FROM settings WHERE key = ?').run(`sealed.${name}`);
  } finally {
    db.close();
  }
}
