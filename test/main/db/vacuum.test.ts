import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../main/log/logger';
import { createServices, type Services } from '../../../main/services';
import { writeTestPackage } from '../../support/packages';
import { queryDb } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';
import { testKeyStore } from '../../support/test-safe-storage';
import { testClipId } from '../../support/ids';

/** `auto_vacuum` and free pages of the services' file, read over a second connection. */
const vacuumState = (dir: string) => ({
  autoVacuum: queryDb<{ auto_vacuum: number }>(dir, 'PRAGMA auto_vacuum')[0]?.auto_vacuum,
  freePages: queryDb<{ freelist_count: number }>(dir, 'PRAGMA freelist_count')[0]?.freelist_count,
});

describe('a database made before incremental auto-vacuum is switched to it once, with no batch active', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;
  let services: Services | undefined;

  const start = (): Services =>
    (services = createServices({
      dataDir: tmp.dir,
      appVersion: '0.0.0-test',
      logger: silentLogger,
      keyStore: testKeyStore(tmp.dir),
    }));
  const stop = (): void => {
    services?.close();
    services = undefined;
  };
  /** Imports a batch of 40 clips (about 200 KB of audio); returns its id. */
  const importBatch = (s: Services, batchId: string): string => {
    const clips = Array.from({ length: 40 }, (_, i) => ({ id: testClipId(i) }));
    const built = writeTestPackage(join(tmp.dir, `${batchId}.earmark`), {
      recipient: s.vault.deviceKey().publicKey,
      batchId,
      clips,
    });
    return s.vault.importPackage(built.file).batchId;
  };

  /** Turns the file back into one an older version left: auto_vacuum never set. */
  const makeLegacy = (): void => {
    const raw = new Database(file);
    raw.pragma('auto_vacuum = NONE');
    raw.exec('VACUUM');
    raw.close();
  };

  beforeEach(() => {
    tmp = makeTempDir('earmark-vacuum-');
    file = join(tmp.dir, 'earmark.db');
  });
  afterEach(() => {
    stop();
    tmp.remove();
  });

  it('waits while a batch is active, then gives an erased batch’s pages back at the next start', () => {
    const batchId = importBatch(start(), 'b-AAAAAAAAAA1EGACY');
    stop();
    makeLegacy();
    // A batch is active: its audio is not rewritten at start.
    const s = start();
    expect(vacuumState(tmp.dir).autoVacuum).toBe(0);
    s.vault.revoke(batchId);
    stop();
    const erased = vacuumState(tmp.dir);
    const bytesErased = statSync(file).size;
    expect(erased.autoVacuum).toBe(0);
    expect(erased.freePages).toBeGreaterThan(40);

    start();
    stop();

    expect(vacuumState(tmp.dir)).toEqual({ autoVacuum: 2, freePages: 0 });
    // At least the 40 clips' audio pages left the file.
    expect(statSync(file).size).toBeLessThan(bytesErased - 40 * 4096);
    // The ended batch is still there (its clip rows went with the erase): the rewrite keeps every row.
    expect(queryDb(tmp.dir, 'SELECT status, (SELECT count(*) FROM clips) AS clips FROM batches')).toEqual([
      { status: 'revoked', clips: 0 },
    ]);
  });
});
