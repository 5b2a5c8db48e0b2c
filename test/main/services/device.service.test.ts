import { lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateDeviceKey, publicKeyFromPem, rawPublicKey } from '../../../core/crypto/device-key';
import { createDeviceService } from '../../../main/services/device.service';
import { ServiceError } from '../../../main/services/service-error';
import { runBatchCli } from '../../../tools/batch';
import { runCli } from '../../support/run-cli';
import { makeServices, type ServicesEnv } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';

const DEMO = resolve(__dirname, '../../../resources/demo');

describe('device service', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir('earmark-device-');
  });
  afterEach(() => tmp.remove());

  const key = generateDeviceKey();
  const service = (choose: (name: string) => Promise<string | null>) =>
    createDeviceService({ devicePublicKey: () => key, dialogs: { choosePublicKeyFile: choose } });

  it('gives the key id, the SHA-256 fingerprint it begins and the public key, and nothing secret', () => {
    const info = service(() => Promise.resolve(null)).info();
    expect(info.keyId).toBe(key.keyId);
    expect(info.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(info.fingerprint.startsWith(info.keyId)).toBe(true);
    expect(info.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    expect(rawPublicKey(publicKeyFromPem(info.publicKeyPem)).equals(rawPublicKey(key.publicKey))).toBe(true);
    expect(JSON.stringify(info)).not.toContain('PRIVATE');
  });

  it('writes the public key where the reviewer chose, suggesting a name with the key id', async () => {
    const file = join(tmp.dir, 'chosen.pub');
    const asked: string[] = [];
    const saved = await service((name) => {
      asked.push(name);
      return Promise.resolve(file);
    }).savePublicKey();
    expect(saved).toEqual({ file });
    expect(asked).toEqual([`earmark-device-${key.keyId}.pub`]);
    expect(readFileSync(file, 'utf8')).toBe(service(() => Promise.resolve(null)).info().publicKeyPem);
    // A public key: readable by anyone, writable by nobody else.
    expect(statSync(file).mode & 0o022).toBe(0);
  });

  it('replaces the file chosen, never writing through a link there, and leaves nothing beside it', async () => {
    const file = join(tmp.dir, 'chosen.pub');
    const victim = join(tmp.dir, 'victim.txt');
    writeFileSync(victim, 'not a key');
    symlinkSync(victim, file);
    await service(() => Promise.resolve(file)).savePublicKey();
    expect(readFileSync(victim, 'utf8')).toBe('not a key');
    expect(lstatSync(file).isFile()).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(service(() => Promise.resolve(null)).info().publicKeyPem);
    expect(readdirSync(tmp.dir).sort()).toEqual(['chosen.pub', 'victim.txt']);
  });

  it('writes nothing when the reviewer cancels, and says so where there is no chooser', async () => {
    expect(await service(() => Promise.resolve(null)).savePublicKey()).toEqual({ file: null });
    const bare = createDeviceService({ devicePublicKey: () => key, dialogs: undefined });
    await expect(bare.savePublicKey()).rejects.toThrow(ServiceError);
  });
});

describe('a public key saved by the app', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    env = makeServices();
    tmp = makeTempDir('earmark-device-pack-');
  });
  afterEach(() => {
    env.dispose();
    tmp.remove();
  });

  it('is what batch pack reads, and the workstation imports the package packed for it', () => {
    const pub = join(tmp.dir, 'workstation.pub');
    env.services.device.savePublicKeyTo(pub);
    const pkg = join(tmp.dir, 'for-this-workstation.earmark');
    const pack = runCli(runBatchCli, [
      'pack',
      '--audio',
      join(DEMO, 'clips'),
      '--clips',
      join(DEMO, 'clips.tsv'),
      '--device-key',
      pub,
      '--out',
      pkg,
      '--batch-id',
      'b-AAAAAAAASAVEDKEY',
    ]);
    expect(pack.code).toBe(0);
    const report = env.services.vault.importPackage(pkg);
    expect(report.batchId).toBe('b-AAAAAAAASAVEDKEY');
    expect(report.imported).toBe(14);
    expect(report.withdrawn).toHaveLength(1);
  });
});
