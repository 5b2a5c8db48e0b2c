import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sineWav, writeTestPackage } from '../../support/packages';
import { makeServices, queryDb, type ServicesEnv } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { testClipId } from '../../support/ids';

describe('vault: an erased batch gives its space back', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  const bytes = (): number =>
    ['earmark.db', 'earmark.db-wal'].reduce((sum, f) => {
      try {
        return sum + statSync(join(env.dataDir, f)).size;
      } catch {
        return sum;
      }
    }, 0);

  beforeEach(() => {
    env = makeServices();
    tmp = makeTempDir('earmark-space-');
  });
  afterEach(() => {
    env.dispose();
    tmp.remove();
  });

  it('makes a new database with incremental auto-vacuum', () => {
    expect(queryDb<{ auto_vacuum: number }>(env.dataDir, 'PRAGMA auto_vacuum')).toEqual([{ auto_vacuum: 2 }]);
  });

  it('is back within a tenth of an empty database once a batch is revoked', () => {
    env.reopen();
    const empty = bytes();
    const clips = Array.from({ length: 40 }, (_, i) => ({
      id: testClipId(i),
      audio: sineWav({ frequencyHz: 300 + i, durationMs: 2_000 }),
      durationMs: 2_000,
    }));
    env.services.vault.importPackage(
      writeTestPackage(join(tmp.dir, 'b.earmark'), { recipient: env.services.vault.deviceKey().publicKey, clips }).file,
    );
    const full = bytes();
    expect(full).toBeGreaterThan(empty + 40 * 16_000);

    env.services.vault.revoke('b-AAAAAAAATEST0001');

    expect(bytes()).toBeLessThanOrEqual(empty * 1.1);
  });
});
