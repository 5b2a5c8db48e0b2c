import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTestPackage } from '../../support/packages';
import { makeServices, queryDb, type ServicesEnv } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';

describe('committed work: a database that lost acknowledged work is noticed', () => {
  let env: ServicesEnv;
  let tmp: ReturnType<typeof makeTempDir>;
  const dbFile = () => join(env.dataDir, 'earmark.db');

  const submit = (clipId: string): void => {
    env.services.annotations.submit({
      batchId: 'b-AAAAAAAATEST0001',
      clipId,
      basedOnRevision: 0,
      disposition: 'transcribed',
      body: { transcript: `text of ${clipId}`, critical: [], entities: [] },
    });
  };

  beforeEach(() => {
    env = makeServices();
    tmp = makeTempDir('earmark-work-');
    env.services.vault.importPackage(
      writeTestPackage(join(tmp.dir, 'b.earmark'), { recipient: env.services.vault.deviceKey().publicKey }).file,
    );
  });
  afterEach(() => {
    env.dispose();
    tmp.remove();
  });

  it('finds nothing wrong after a clean restart', () => {
    submit('c-AAAAAAAAAAAAAAA1');
    submit('c-AAAAAAAAAAAAAAA2');
    const services = env.reopen();
    expect(services.committedWork.lastCheck()).toEqual({ state: 'ok' });
  });

  it('says so when an older copy of the file is back (as after a lost WAL): submits it had acknowledged are gone', () => {
    submit('c-AAAAAAAAAAAAAAA1');
    // The file as it was with one revision: what is left when later commits, still in the WAL, are lost.
    env.reopen();
    copyFileSync(dbFile(), join(tmp.dir, 'older.db'));
    submit('c-AAAAAAAAAAAAAAA2');
    submit('c-AAAAAAAAAAAAAAA3');
    env.services.close();
    copyFileSync(join(tmp.dir, 'older.db'), dbFile());
    rmSync(`${dbFile()}-wal`, { force: true });
    rmSync(`${dbFile()}-shm`, { force: true });

    const services = env.reopen();

    expect(services.committedWork.lastCheck().state).toBe('rolledBack');
    expect(services.committedWork.lastCheck()).toMatchObject({ found: { annotations: 1 } });
  });

  it('moves after each stored revision, never on drafts', () => {
    const counter = (): number =>
      (
        JSON.parse(
          queryDb<{ value: string }>(env.dataDir, "SELECT value FROM settings WHERE key = 'sealed.committedWork'")[0]
            ?.value ?? '{"counter":0}',
        ) as { counter: number }
      ).counter;
    submit('c-AAAAAAAAAAAAAAA1');
    const afterSubmit = counter();
    env.services.annotations.saveDraft('b-AAAAAAAATEST0001', 'c-AAAAAAAAAAAAAAA2', 0, {
      transcript: 'draft',
      critical: [],
      entities: [],
    });
    expect(afterSubmit).toBeGreaterThan(0);
    expect(counter()).toBe(afterSubmit);
    submit('c-AAAAAAAAAAAAAAA2');
    expect(counter()).toBe(afterSubmit + 1);
  });
});
