/**
 * The fault switch costs a service that does not play it nothing: no read of the switch per
 * request and no token-expiry update per upload, and a switch set in its store is not played.
 * A process that plays faults reads the switch once per request, operations endpoints aside.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultRepository } from '../../service/store/fault-repository';
import type { ServiceStore } from '../../service/store/repositories';
import { approvedReviewer } from '../support/approved-reviewer';
import { testBatchId } from '../support/ids';
import { startTestService, type TestService } from '../support/reference-service';

const BATCH = testBatchId(81);

type Reads = { get: number; countUpload: number; takeTokenExpiry: number };

/** `store` with its fault repository counting every call into `reads`. */
function countingFaultReads(reads: Reads): (store: ServiceStore) => ServiceStore {
  return (store) => {
    const faults: FaultRepository = {
      ...store.faults,
      get: () => {
        reads.get += 1;
        return store.faults.get();
      },
      countUpload: () => {
        reads.countUpload += 1;
        return store.faults.countUpload();
      },
      takeTokenExpiry: (opsStored) => {
        reads.takeTokenExpiry += 1;
        return store.faults.takeTokenExpiry(opsStored);
      },
    };
    return { ...store, faults };
  };
}

describe('fault switch reads', () => {
  let svc: TestService | undefined;
  afterEach(async () => {
    await svc?.stop();
    svc = undefined;
  });

  const start = async (playFaults: boolean, reads: Reads): Promise<TestService> => {
    svc = await startTestService({ options: { playFaults }, wrapStore: countingFaultReads(reads) });
    await svc.addBatch(BATCH, 2);
    return svc;
  };

  it('a process that does not play faults never reads the switch, nor plays one set in its store', async () => {
    const reads: Reads = { get: 0, countUpload: 0, takeTokenExpiry: 0 };
    const s = await start(false, reads);
    await s.service.core.faults.set({ fault: 'rate_limit', retryAfterSeconds: 9, every: 1 });
    const reviewer = await approvedReviewer(s);
    expect((await reviewer.checkout(BATCH)).status).toBe(200);
    const upload = await reviewer.call('POST', '/v1/annotations', {
      ops: [reviewer.annotation(BATCH, 'c-AAAAAAAAAAAA0000', 'first')],
    });
    expect(upload.status).toBe(200);
    expect((await fetch(`${s.url}/v1/health`)).status).toBe(200);
    expect(reads).toEqual({ get: 0, countUpload: 0, takeTokenExpiry: 0 });
    // The shared switch is left as it was set, for the processes that do play it.
    expect(await s.service.core.faults.get()).toMatchObject({ fault: 'rate_limit', every: 1 });
  });

  it('a process that plays faults reads the switch once per request, and not for operations endpoints', async () => {
    const reads: Reads = { get: 0, countUpload: 0, takeTokenExpiry: 0 };
    const s = await start(true, reads);
    const before = reads.get;
    for (let i = 0; i < 3; i += 1) {
      expect((await fetch(`${s.url}/v1/health`)).status).toBe(200);
    }
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${s.url}/readyz`)).status).toBe(200);
    expect(reads.get - before).toBe(3);
  });
});
