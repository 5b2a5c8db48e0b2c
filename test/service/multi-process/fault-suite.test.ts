/**
 * The fault suite (test/support/fault-suite.ts) against two service processes on one PostgreSQL
 * database, behind a proxy that hands requests to each in turn: under every fault, 300
 * annotations with their amendments are stored exactly once, with no hole in any history, and
 * both processes answered uploads. Dedupe, the base-revision check and the fault switch with its
 * counters live in the database, so neither process needs to know of the other.
 *
 * Runs in the `service-pg` project only (vitest.config.mts): it needs the run's cluster.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { newTotpSecret, totpCode, TOTP_PERIOD_S } from '../../../service/auth';
import { CLI_SOURCE } from '../../../service/audit';
import { createCore, type Core } from '../../../service/core';
import { issueEnrolmentCodes } from '../../../service/enrolment-codes';
import { addAccount, addBatch, DEMO_REVIEWER, type SeedAccount } from '../../../service/seed';
import {
  FAULT_SUITE_CLIPS,
  faultScenarios,
  playFaultScenario,
  startFaultRun,
  stopFaultRun,
  type FaultRun,
  type FaultSuiteService,
} from '../../support/fault-suite';
import { testBatchId } from '../../support/ids';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../support/round-robin-proxy';
import { silentClips } from '../../support/packages';
import { startServiceProcess, type ServiceProcess } from '../../support/service-process';
import { makeTempDir } from '../../support/temp-dir';
import { newTestPgDatabase, openTestStoreAt, runOnTestStore } from '../../support/test-store';

/** A drain through two processes on a loaded machine takes a while; this only ends one that hangs. */
const SCENARIO_LIMIT_MS = 240_000;

/**
 * Codes for `secret` that the service has not seen: each a time step after the last, from the
 * current one on (the service takes one step either side of its own).
 */
function freshCodes(secret: string): () => string {
  let last = -1;
  return () => {
    last = Math.max(last + 1, Math.floor(Date.now() / 1000 / TOTP_PERIOD_S));
    return totpCode(secret, last * TOTP_PERIOD_S * 1000);
  };
}

describe('the fault suite on two service processes sharing one PostgreSQL database', () => {
  let tmp: ReturnType<typeof makeTempDir> | undefined;
  let shared: { readonly pgUrl: string; readonly core: Core } | undefined;
  const processes: ServiceProcess[] = [];
  let proxy: RoundRobinProxy | undefined;
  let run: FaultRun | undefined;

  beforeAll(async () => {
    tmp = makeTempDir('earmark-two-services-');
    const pgUrl = await newTestPgDatabase();
    const core = createCore({ store: await openTestStoreAt({ pgUrl }) });
    shared = { pgUrl, core };
    // With the demo reviewer present the processes seed no demo batches of their own.
    await addAccount(core, DEMO_REVIEWER);
    // One after the other: the first makes the signing key in the shared data folder, the second
    // takes it, so sign-ins through either carry the same service key. Neither sets the switch.
    for (let i = 0; i < 2; i += 1) {
      processes.push(await startServiceProcess(tmp.dir, 0, ['--database', pgUrl, '--play-faults']));
    }
  }, SCENARIO_LIMIT_MS);

  afterEach(async () => {
    if (run) {
      await stopFaultRun(run);
    }
    await proxy?.close();
    run = undefined;
    proxy = undefined;
  });

  afterAll(async () => {
    await Promise.all(processes.splice(0).map((p) => p.stop()));
    await shared?.core.store.close();
    tmp?.remove();
  });

  it.each(faultScenarios.map((s, i) => ({ ...s, i })))(
    'delivers 300 annotations with amendments exactly once through both: $name',
    async ({ request, proof, i }) => {
      if (!shared) {
        throw new Error('The service processes did not start.');
      }
      const { pgUrl, core } = shared;
      // A reviewer and a batch of their own per scenario: nothing carries over between them.
      const reviewer: SeedAccount = {
        account: `fault-reviewer-${i}`,
        password: `fault suite reviewer ${i}`,
        totpSecret: newTotpSecret(),
        pseudonym: `rv-fault-${i}`,
        role: 'reviewer',
      };
      const batchId = testBatchId(700 + i, 3);
      await addAccount(core, reviewer, { maxDevices: 2 });
      await addBatch(core, { batchId, assignedTo: reviewer.account, clips: silentClips(FAULT_SUITE_CLIPS) });
      const { codes } = await issueEnrolmentCodes(core, { operator: 'tests', source: CLI_SOURCE }, reviewer.account, {
        count: 4,
      });
      const nextCode = freshCodes(reviewer.totpSecret);
      let handedOut = 0;
      proxy = await startRoundRobinProxy(processes.map((p) => p.url));
      const svc: FaultSuiteService = {
        url: proxy.url,
        requests: proxy.requests,
        // A code not handed out before each time: one left unused by a device already enrolled stays unused.
        credentials: () => ({
          account: reviewer.account,
          password: reviewer.password,
          totp: nextCode(),
          enrolmentCode: codes[handedOut++] ?? '',
        }),
        store: core.store,
        query: (sql, ...params) => runOnTestStore({ pgUrl }, sql, params),
        setFault: (r) => core.faults.set(r),
      };
      run = await startFaultRun(svc);
      await playFaultScenario(run, batchId, request, { limitMs: SCENARIO_LIMIT_MS });
      proof(run);
      // Both processes took part: each answered uploads of this batch.
      const uploads = proxy.answeredBy.map(
        (lines) => lines.filter((l) => l.startsWith('POST /v1/annotations ')).length,
      );
      expect(uploads.map((n) => n > 0)).toEqual([true, true]);
    },
    SCENARIO_LIMIT_MS,
  );
});
