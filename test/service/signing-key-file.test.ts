/**
 * The service's signing key file, and what the key signs over real HTTP: a sign-in answer whose
 * time and identity verify with the key the file holds, and a batch list signed over its nonce.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifySignature } from '../../core/crypto/signing-key';
import { loadSigningKeyFile, SigningKeyFileError } from '../../service/signing-key-file';
import { signInResponseSchema, batchListResponseSchema } from '../../shared/sync/messages';
import { serviceStatementMessage } from '../../shared/sync/protocol';
import { startTestService, type TestService } from '../support/reference-service';
import { makeTempDir } from '../support/temp-dir';

describe('service signing key file', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir('earmark-signing-key-');
  });
  afterEach(() => tmp.remove());

  it('makes a key readable by its owner only on first run in development, and reads the same key again', () => {
    const file = join(tmp.dir, 'signing-key.pem');
    const made = loadSigningKeyFile(file, { create: true, platform: 'linux' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadSigningKeyFile(file, { create: false, platform: 'linux' });
    expect(again.publicKey.export({ format: 'jwk' })).toEqual(made.publicKey.export({ format: 'jwk' }));
  });

  it('refuses a missing file it was told to use, one others may read, and a key that is not Ed25519', () => {
    const file = join(tmp.dir, 'named.pem');
    expect(() => loadSigningKeyFile(file, { create: false, platform: 'linux' })).toThrow(/does not exist/);
    loadSigningKeyFile(file, { create: true, platform: 'linux' });
    chmodSync(file, 0o640);
    expect(() => loadSigningKeyFile(file, { create: false, platform: 'linux' })).toThrow(SigningKeyFileError);
    expect(() => loadSigningKeyFile(file, { create: false, platform: 'linux' })).toThrow(/chmod 600/);
    const rsa = join(tmp.dir, 'rsa.pem');
    writeFileSync(
      rsa,
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }),
      { mode: 0o600 },
    );
    expect(() => loadSigningKeyFile(rsa, { create: false, platform: 'linux' })).toThrow(/not Ed25519/);
    expect(readFileSync(file, 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
  });
});

describe('signed answers over HTTP', () => {
  let svc: TestService;
  beforeEach(async () => {
    svc = await startTestService();
  });
  afterEach(async () => {
    await svc.stop();
  });
  const signedBy = (signed: { statement: { purpose: string }; signature: string }): boolean =>
    verifySignature(
      svc.service.core.signingKey.publicKey,
      Buffer.from(serviceStatementMessage(signed.statement), 'utf8'),
      Buffer.from(signed.signature, 'base64'),
    );

  it('signs the sign-in time over the nonce sent, and the identity for the device key', async () => {
    const body = await svc.signInBody();
    const r = await fetch(`${svc.url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = signInResponseSchema.parse(await r.json());
    expect(answer.serviceTime.statement).toEqual({ purpose: 'service-time', at: svc.now(), nonce: body.nonce });
    expect(signedBy(answer.serviceTime)).toBe(true);
    expect(answer.signedIdentity.statement).toMatchObject({
      purpose: 'identity',
      pseudonym: svc.reviewer.pseudonym,
      role: 'reviewer',
      keyId: body.device.keyId,
      expiresAt: answer.expiresAt,
    });
    expect(signedBy(answer.signedIdentity)).toBe(true);

    const nonce = 'AAAAAAAAAAAAAAAAAAAAAA';
    const list = await fetch(`${svc.url}/v1/batches?nonce=${nonce}`, {
      headers: { authorization: `Bearer ${answer.token}` },
    });
    const batches = batchListResponseSchema.parse(await list.json());
    expect(batches.serviceTime.statement.nonce).toBe(nonce);
    expect(signedBy(batches.serviceTime)).toBe(true);
    const bad = await fetch(`${svc.url}/v1/batches?nonce=short`, {
      headers: { authorization: `Bearer ${answer.token}` },
    });
    expect(bad.status).toBe(400);
  });
});
