/**
 * The checks on what the service signs: a tampered time, another key's signature and an old
 * answer replayed are each refused, and nothing of such an answer reaches the clock.
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SigningKey } from '../../../../core/crypto/signing-key';
import { signIdentity, signServiceTime } from '../../../../service/service-signature';
import { newTimeNonce, verifiedIdentity, verifiedServiceTime } from '../../../../main/services/sync/service-time';
import { ServiceTrustError } from '../../../../main/services/sync/service-trust';
import { withServiceTrust } from '../../../../main/services/sync/trusted-http';
import type { SyncHttp } from '../../../../main/services/sync/sync-http';
import type { BatchListResponse } from '../../../../shared/sync/messages';

const T = Date.UTC(2026, 5, 1, 9, 0, 0);
const newKey = (): SigningKey => {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: createPublicKey(privateKey) };
};

/** The fault of the ServiceTrustError `run` throws; anything else fails the test. */
function faultOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ServiceTrustError) {
      return error.fault;
    }
    throw error;
  }
  throw new Error('Expected a ServiceTrustError; the check passed.');
}

describe('signed service time', () => {
  const service = newKey();

  it('takes a time signed with the service key over this request nonce', () => {
    const nonce = newTimeNonce();
    expect(verifiedServiceTime(service.publicKey, signServiceTime(service, T, nonce), nonce)).toBe(T);
  });

  it('refuses a tampered time', () => {
    const nonce = newTimeNonce();
    const signed = signServiceTime(service, T, nonce);
    const tampered = { ...signed, statement: { ...signed.statement, at: T + 9 * 3_600_000 } };
    expect(faultOf(() => verifiedServiceTime(service.publicKey, tampered, nonce))).toBe('bad_signature');
  });

  it('refuses a time signed with another key', () => {
    const nonce = newTimeNonce();
    expect(faultOf(() => verifiedServiceTime(service.publicKey, signServiceTime(newKey(), T, nonce), nonce))).toBe(
      'bad_signature',
    );
  });

  it('refuses an old signed time replayed for a new request', () => {
    const old = signServiceTime(service, T - 3_600_000, newTimeNonce());
    expect(faultOf(() => verifiedServiceTime(service.publicKey, old, newTimeNonce()))).toBe('wrong_nonce');
    const unbound = signServiceTime(service, T, undefined);
    expect(faultOf(() => verifiedServiceTime(service.publicKey, unbound, newTimeNonce()))).toBe('wrong_nonce');
  });

  it('takes an identity only as signed for this device key', () => {
    const signed = signIdentity(service, {
      pseudonym: 'rv-1',
      role: 'supervisor',
      keyId: '0123456789abcdef',
      issuedAt: T,
      expiresAt: T + 1,
    });
    expect(verifiedIdentity(service.publicKey, signed, '0123456789abcdef')?.role).toBe('supervisor');
    expect(verifiedIdentity(service.publicKey, signed, 'fedcba9876543210')).toBeNull();
    expect(verifiedIdentity(newKey().publicKey, signed, '0123456789abcdef')).toBeNull();
    const promoted = { ...signed, statement: { ...signed.statement, role: 'supervisor' as const, pseudonym: 'rv-2' } };
    expect(verifiedIdentity(service.publicKey, promoted, '0123456789abcdef')).toBeNull();
  });

  it('sets the clock from a verified batch-status answer only', async () => {
    const observed: number[] = [];
    const deviceOps = { keyId: '0123456789abcdef', epoch: '0'.repeat(32), highSeq: 0, count: 0 };
    let answer: (nonce: string) => BatchListResponse = (nonce) => ({
      batches: [],
      serviceTime: signServiceTime(service, T, nonce),
      deviceOps,
    });
    const http = { batches: (_token: string, nonce?: string) => Promise.resolve(answer(nonce ?? '')) } as SyncHttp;
    const trust = { current: () => service.publicKey, check: () => service.publicKey, keep: () => undefined };
    const clock = { mark: () => 0, observeServiceTime: (at: number) => void observed.push(at) };
    const trusted = withServiceTrust(http, { trust, clock });
    await trusted.batches('token');
    // Replayed: the first answer again, whatever nonce the new request carried.
    const first = signServiceTime(service, T, newTimeNonce());
    answer = () => ({ batches: [], serviceTime: first, deviceOps });
    await expect(trusted.batches('token')).rejects.toMatchObject({ fault: 'wrong_nonce' });
    expect(observed).toEqual([T]);
  });
});
