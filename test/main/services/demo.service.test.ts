import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/log/logger';
import { createServices, type Services } from '../../../main/services';
import { makeTempDir } from '../../support/temp-dir';
import { testKeyStore } from '../../support/test-safe-storage';

const RESOURCES = resolve(__dirname, '../../../resources');

describe('demo service', () => {
  let tmp: ReturnType<typeof makeTempDir> | undefined;
  let services: Services | undefined;

  const open = (resourcesDir: string | undefined): Services => {
    tmp ??= makeTempDir('earmark-demo-');
    services = createServices({
      dataDir: tmp.dir,
      appVersion: 'test',
      logger: silentLogger,
      keyStore: testKeyStore(tmp.dir),
      ...(resourcesDir ? { resourcesDir } : {}),
    });
    return services;
  };

  afterEach(() => {
    services?.close();
    tmp?.remove();
    tmp = undefined;
  });

  it('makes a batch from the bundled recordings, refusing the withdrawn one', () => {
    const s = open(RESOURCES);
    const report = s.demo.ensureDemoBatch();
    expect(report).toMatchObject({ imported: 14, quarantined: [], withdrawn: ['c-W3DCMQFV1GF0A7GA'] });
    const clips = s.vault.listClips(report?.batchId ?? '');
    expect(clips).toHaveLength(14);
    expect(clips.every((c) => c.state === 'ready' && (c.durationMs ?? 0) > 1000)).toBe(true);
    const first = s.vault.openClip(report?.batchId ?? '', clips[0]?.id ?? '');
    expect(first.codec).toBe('opus');
    expect(first.asrText.length).toBeGreaterThan(0);
  });

  it('leaves no package file behind and makes no second batch while one is active', () => {
    const s = open(RESOURCES);
    s.demo.ensureDemoBatch();
    expect(s.demo.ensureDemoBatch()).toBeUndefined();
    expect(s.batches.list()).toHaveLength(1);
    expect(readdirSync(tmp?.dir ?? '').filter((f) => f.endsWith('.earmark'))).toEqual([]);
  });

  it('starts with no batch when the build has no demo recordings', () => {
    const s = open(undefined);
    expect(s.demo.ensureDemoBatch()).toBeUndefined();
    expect(s.batches.list()).toEqual([]);
  });
});
