/**
 * Exactly-once delivery under every fault the reference service can inject: a scripted reviewer
 * submits 300 annotations and amends some of them while the real sender drains to the real
 * service on loopback (test/support/fault-suite.ts). Afterwards the service holds one current row
 * per clip at the clip's latest revision: nothing lost, nothing duplicated. The same scenarios
 * run against two service processes on one PostgreSQL database in
 * test/service/multi-process/fault-suite.test.ts.
 */
import { afterEach, describe, it } from 'vitest';
import {
  FAULT_SUITE_CLIPS,
  faultScenarios,
  playFaultScenario,
  startFaultRun,
  stopFaultRun,
  type FaultRun,
} from '../../support/fault-suite';
import { startTestService, type TestService } from '../../support/reference-service';

const BATCH = 'b-AAAAAAAAFAV1T300';

describe('exactly-once sync under faults', () => {
  let svc: TestService | undefined;
  let run: FaultRun | undefined;
  afterEach(async () => {
    if (run) {
      await stopFaultRun(run);
    }
    await svc?.stop();
    run = undefined;
    svc = undefined;
  });

  it.each(faultScenarios)(
    'delivers 300 annotations with amendments exactly once: $name',
    async ({ request, proof }) => {
      const service = await startTestService();
      svc = service;
      await service.addBatch(BATCH, FAULT_SUITE_CLIPS);
      run = await startFaultRun({
        url: service.url,
        requests: service.requests,
        credentials: () => service.credentials(),
        store: service.service.core.store,
        query: (sql, ...params) => service.query(sql, ...params),
        setFault: (r) => service.service.core.faults.set(r),
      });
      await playFaultScenario(run, BATCH, request);
      proof(run);
    },
  );
});
