import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as DeviceKeys from '../../core/crypto/device-key';
import { runBatchCli } from '../../tools/batch';
import { runCli } from '../support/run-cli';
import { makeTempDir } from '../support/temp-dir';

/** Where the key being made is going: set by each test before it runs keygen. */
const race = vi.hoisted(() => ({ plantIn: null as string | null }));

// Another run's public key lands while this one makes its key: after keygen checked the names.
vi.mock('../../core/crypto/device-key', async (original) => {
  const real = await original<typeof DeviceKeys>();
  return {
    ...real,
    generateDeviceKey: () => {
      if (race.plantIn) {
        writeFileSync(join(race.plantIn, 'device.pub'), 'another run’s public key');
      }
      return real.generateDeviceKey();
    },
  };
});

describe('batch keygen racing another run', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir('earmark-keygen-race-');
  });
  afterEach(() => {
    race.plantIn = null;
    tmp.remove();
  });

  it('refuses clearly, removes the private key it made and leaves the other run’s file', () => {
    race.plantIn = tmp.dir;
    const keygen = runCli(runBatchCli, ['keygen', '--out', tmp.dir]);
    expect(keygen.code).toBe(2);
    expect(keygen.err).toContain(`got a device key file while keygen ran (${join(tmp.dir, 'device.pub')})`);
    expect(readdirSync(tmp.dir)).toEqual(['device.pub']);
    expect(readFileSync(join(tmp.dir, 'device.pub'), 'utf8')).toBe('another run’s public key');
  });
});
