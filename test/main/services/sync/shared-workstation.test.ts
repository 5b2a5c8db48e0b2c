import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_SOURCE } from '../../../../service/audit';
import { assignBatch } from '../../../../service/batch-admin';
import { handOver } from '../../../../service/hand-over';
import { DEMO_REVIEWER, type SeedAccount } from '../../../../service/seed';
import { makeServices, queryDb, type ServicesEnv } from '../../../support/services';
import { startTestService, type TestService } from '../../../support/reference-service';

const BATCH = 'b-AAAAAAAAAAWR1TER';
const REVIEWER_B: SeedAccount = {
  account: 'reviewer-b',
  password: 'password of reviewer-b',
  totpSecret: DEMO_REVIEWER.totpSecret,
  pseudonym: 'rv-b',
  role: 'reviewer',
};

const urlOf = (input: string | URL | Request): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

describe('one workstation, two reviewers', () => {
  let svc: TestService;
  let ws: ServicesEnv;
  let reachable: boolean;
  /** Audit uploads the service answered; past a bound the service stops answering them. */
  let auditUploads: number;

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addAccount(REVIEWER_B, { maxDevices: 4 });
    await svc.addBatch(BATCH, 6);
    reachable = true;
    auditUploads = 0;
    ws = makeServices({
      serviceUrl: svc.url,
      sync: {
        // Waits never fire: each cycle is one the test asks for.
        timers: { setTimeout: () => ({}), clearTimeout: () => undefined },
        fetch: (input, init) => {
          if (urlOf(input).includes('/v1/audit-events') && ++auditUploads > 20) {
            return Promise.reject(new TypeError('fetch failed'));
          }
          return reachable ? fetch(input, init) : Promise.reject(new TypeError('fetch failed'));
        },
      },
    });
  });
  afterEach(async () => {
    ws.dispose();
    await svc.stop();
  });

  const s = () => ws.services;
  const signInA = () => s().sync.signIn(svc.credentials());
  const outbox = () =>
    queryDb<{ kind: string; author: string; state: string; audit_type: string | null }>(
      ws.dataDir,
      'SELECT kind, author, state, audit_type FROM outbox ORDER BY seq',
    );

  it('parks an audit event the service refuses once, without auditing the refusal in turn', async () => {
    await signInA();
    await s().sync.syncNow();
    // An operator moves the batch to another reviewer: the erasure's audit event names a batch
    // that is no longer this reviewer's, and the service answers it with `not_assigned`.
    await handOver(svc.service.core, { batchId: BATCH, kind: 'forced', actor: 'ops', source: CLI_SOURCE });
    await assignBatch(svc.service.core, { operator: 'ops', source: CLI_SOURCE }, BATCH, REVIEWER_B.account);
    const status = await s().sync.syncNow();
    expect(
      s()
        .batches.list()
        .map((b) => b.status),
    ).toEqual(['revoked']);
    expect(status.needsAttention.map((n) => [n.kind, n.batchId, n.code])).toEqual([['audit', BATCH, 'not_assigned']]);
    expect(status.connection).toBe('online');
    expect(auditUploads).toBeLessThan(5);
    expect(outbox().filter((r) => r.audit_type === 'op_needs_attention')).toEqual([]);
  });
});
