/**
 * Two `--demo` service processes started at the same moment on one empty PostgreSQL database and
 * one data folder: both come up and answer, one seeds the demo data and the other takes that seed
 * as its own, so the store holds the demo reviewer once, and both use the one signing key the
 * first of them made.
 *
 * Runs in the `service-pg` project only (vitest.config.mts): it needs the run's cluster.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_BATCH_IDS, DEMO_REVIEWER } from '../../../service/seed';
import { startServiceProcess, type ServiceProcess } from '../../support/service-process';
import { makeTempDir } from '../../support/temp-dir';
import { newTestPgDatabase, runOnTestStore } from '../../support/test-store';

/** Two processes compile under tsx at once on a loaded machine; this only ends one that hangs. */
const START_LIMIT_MS = 240_000;

/** The line each process prints with the public half of its signing key. */
const SIGNING_KEY = /signing key \(pin it as "servicePublicKey" in the admin policy\): (\S+)/;

describe('two --demo service processes starting together on one empty PostgreSQL database', () => {
  let tmp: ReturnType<typeof makeTempDir> | undefined;
  const processes: ServiceProcess[] = [];
  afterEach(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    tmp?.remove();
    tmp = undefined;
  });

  it(
    'both come up and answer, and the demo reviewer and batches exist once',
    async () => {
      tmp = makeTempDir('earmark-demo-race-');
      const pgUrl = await newTestPgDatabase();
      const started = await Promise.allSettled(
        [0, 1].map(() => startServiceProcess(tmp?.dir ?? '', 0, ['--demo', '--database', pgUrl])),
      );
      started.forEach((s) => s.status === 'fulfilled' && processes.push(s.value));
      expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'up'))).toEqual(['up', 'up']);

      const answers = await Promise.all(processes.map(async (p) => (await fetch(`${p.url}/readyz`)).status));
      expect(answers).toEqual([200, 200]);
      const printed = await Promise.all(processes.map((p) => p.printed(/Point the app at it/)));
      // Exactly one of them seeded; both announce the demo accounts and an enrolment code.
      expect(printed.filter((text) => text.includes('demo data seeded'))).toHaveLength(1);
      expect(printed.every((text) => /enrolment code for "reviewer"/.test(text))).toBe(true);
      const keys = printed.map((text) => SIGNING_KEY.exec(text)?.[1]);
      expect(keys[0]).toBeDefined();
      expect(keys[1]).toBe(keys[0]);

      const target = { pgUrl };
      expect(
        await runOnTestStore(target, 'SELECT account, role FROM accounts WHERE account = ?', [DEMO_REVIEWER.account]),
      ).toEqual([{ account: DEMO_REVIEWER.account, role: 'reviewer' }]);
      const batches = await runOnTestStore<{ batch_id: string }>(
        target,
        'SELECT batch_id FROM batches WHERE assigned_to = ? ORDER BY batch_id',
        [DEMO_REVIEWER.account],
      );
      expect(batches.map((b) => b.batch_id)).toEqual([...DEMO_BATCH_IDS].sort());
    },
    START_LIMIT_MS,
  );
});
