/** Everything a route may use: the store, the fault switches, the clock and the service keys. */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { deviceKeyFromPem, privateKeyPem, type DeviceKey } from '../core/crypto/device-key';
import type { SigningKey } from '../core/crypto/signing-key';
import type { AccountRow, ServiceStore, SessionRow } from './store/repositories';
import { createFaults } from './faults';
import { createUploadGate } from './upload-gate';
import { createUploadLeases } from './upload-leases';
import type { ServiceLog } from './service-log';
import { createServiceMetrics } from './metrics';
import { createLifecycle } from './lifecycle';
import { createRefusalAuditBudget } from './refusal-audit-budget';
import { createChallengeMinter } from './sign-in-challenge';

export type CoreOptions = {
  /** Where the service keeps everything; closed with the service. */
  readonly store: ServiceStore;
  /** Milliseconds since the epoch; tests turn it. */
  readonly now?: () => number;
  /** How long a session token lives. */
  readonly tokenTtlMs?: number;
  /**
   * The Ed25519 key that signs the service's time and identities (service/signing-key-file.ts).
   * Without one a key is made for this process alone: workstations that pinned or took the key
   * of an earlier process refuse it, so only tests run that way.
   */
  readonly signingKey?: SigningKey;
  /**
   * The X25519 key results packages are encrypted for (service/results-key-file.ts). Without one
   * the oldest key the store holds is used, made on first use: only tests run that way.
   */
  readonly resultsKey?: DeviceKey;
  /**
   * Plays the store's fault switch (service/faults.ts): tests and manual checks only. Off by
   * default, so a service for real reviewers never reads the switch nor misbehaves.
   */
  readonly playFaults?: boolean;
  /** The structured (JSON) log: one entry per request and per unexpected failure, no content. */
  readonly serviceLog?: ServiceLog;
};

function ephemeralSigningKey(): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** A signed-in caller, as the auth step found it. */
export type Caller = { readonly account: AccountRow; readonly tokenHash: Buffer; readonly session: SessionRow };

/** Eight hours: one shift. */
export const DEFAULT_TOKEN_TTL_MS = 8 * 60 * 60 * 1000;

/** The oldest stored service key, or a new one stored in the same unit of work (tests without a key file). */
async function loadServiceKey(store: ServiceStore, now: number): Promise<DeviceKey> {
  return store.transaction(async (tx) => {
    const pem = await tx.serviceKeys.oldest();
    if (pem) {
      return deviceKeyFromPem(pem);
    }
    const key = deviceKeyFromPem(
      generateKeyPairSync('x25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    );
    await tx.serviceKeys.add(key.keyId, privateKeyPem(key), now);
    return key;
  });
}

export function createCore(o: CoreOptions) {
  const now = o.now ?? (() => Date.now());
  let serviceKey: Promise<DeviceKey> | undefined;
  const metrics = createServiceMetrics({ store: o.store, now });
  const signingKey = o.signingKey ?? ephemeralSigningKey();
  return {
    store: o.store,
    now,
    tokenTtlMs: o.tokenTtlMs ?? DEFAULT_TOKEN_TTL_MS,
    /** Signs the service's time and the identities sign-in hands out. */
    signingKey,
    /** Issues and checks sign-in challenges under a key derived from the signing key: issuing stores nothing. */
    challenges: createChallengeMinter(signingKey),
    faults: createFaults(o.store.faults, { playing: o.playFaults === true }),
    /** Slots for large uploads (results packages), shared by every request of this process. */
    largeUploads: createUploadGate(),
    /** This process's leases on the store-wide slots for large uploads, renewed while held. */
    uploadLeases: createUploadLeases({
      slots: o.store.uploadSlots,
      now,
      log: o.serviceLog,
      lost: (at) => metrics.uploadSlotLost(at),
    }),
    /** The Prometheus metrics the service counts and `/metrics` reads. */
    metrics,
    /** How many refusals each caller still writes to the audit trail in this process's window. */
    refusalAudits: createRefusalAuditBudget(),
    /** Requests in flight and the graceful shutdown: `/readyz` answers 503 once it has begun. */
    lifecycle: createLifecycle(),
    /** The service's X25519 key: offline results packages are encrypted for it. */
    serviceKey(): Promise<DeviceKey> {
      if (o.resultsKey) {
        return Promise.resolve(o.resultsKey);
      }
      // A failed load is not remembered, so the next request tries again.
      serviceKey ??= loadServiceKey(o.store, now()).catch((error: unknown) => {
        serviceKey = undefined;
        throw error;
      });
      return serviceKey;
    },
  };
}

export type Core = ReturnType<typeof createCore>;
