/**
 * Work the service holds, for tests of figures that count only that: the first revision of each
 * clip stored as the account's annotation ops, straight into the store (the batch made if new).
 */
import { randomUUID } from 'node:crypto';
import type { TestService } from './reference-service';

export async function holdAnnotations(
  svc: TestService,
  account: string,
  batchId: string,
  clipIds: readonly string[],
): Promise<void> {
  const store = svc.service.core.store;
  if (!(await store.batches.find(batchId))) {
    await svc.addBatch(batchId, 1);
  }
  const results = await store.ops.apply(
    'annotation',
    account,
    clipIds.map((clipId) => ({
      opId: randomUUID(),
      payload: { batchId, clipId, revision: 1 },
      revision: { batchId, clipId, revision: 1, baseRevision: 0, baseOpId: null },
      refusal: null,
    })),
    svc.now(),
  );
  const refused = results.filter((r) => r.code !== 'stored');
  if (refused.length > 0) {
    throw new Error(`holdAnnotations: ${refused.length} not stored (${refused.map((r) => r.code).join(', ')}).`);
  }
}
