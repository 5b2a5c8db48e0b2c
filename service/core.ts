/** Everything a route may use: the stores, the fault switches, the clock and the service key. */
import { generateKeyPairSync } from 'node:crypto';
import { deviceKeyFromPem, privateKeyPem, type DeviceKey } from '../core/crypto/device-key';
import type { AccountRow, SessionRow } from './store/auth-store';
import { createAuthStore } from './store/auth-store';
import { createBatchStore } from './store/batch-store';
import { createOpStore } from './store/op-store';
import { openServiceDb, type ServiceDb } from './store/schema';
import { createTimingStore } from './store/timing-store';
import { createFaults } from './faults';

export type CoreOptions = {
  /** The database file; ':memory:' for a throwaway service. */
  readonly dbFile: string;
  /** Milliseconds since the epoch; tests turn it. */
  readonly now?: () => number;
  /** How long a session token lives. */
  readonly tokenTtlMs?: number;
};

/** A signed-in caller, as the auth step found it. */
export type Caller = { readonly account: AccountRow; readonly tokenHash: Buffer; readonly session: SessionRow };

/** Eight hours: one shift. */
export const DEFAULT_TOKEN_TTL_MS = 8 * 60 * 60 * 1000;

function loadServiceKey(db: ServiceDb, now: number): DeviceKey {
  const row = db
    .prepare<[], { private_pem: string }>('SELECT private_pem FROM service_keys ORDER BY created_at LIMIT 1')
    .get();
  if (row) {
    return deviceKeyFromPem(row.private_pem);
  }
  const key = deviceKeyFromPem(
    generateKeyPairSync('x25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  );
  db.prepare('INSERT INTO service_keys (key_id, private_pem, created_at) VALUES (?, ?, ?)').run(
    key.keyId,
    privateKeyPem(key),
    now,
  );
  return key;
}

export function createCore(o: CoreOptions) {
  const db = openServiceDb(o.dbFile);
  const now = o.now ?? (() => Date.now());
  return {
    db,
    now,
    tokenTtlMs: o.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS,
    auth: createAuthStore(db),
    batches: createBatchStore(db),
    ops: createOpStore(db),
    timing: createTimingStore(db),
    faults: createFaults(),
    /** The service's X25519 key: offline results packages are encrypted for it. */
    serviceKey: loadServiceKey(db, now()),
  };
}

export type Core = ReturnType<typeof createCore>;
