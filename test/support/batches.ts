import type { NewBatch } from '../../main/db/repositories/batch.repository';
import type { BatchSummary } from '../../shared/domain/batch';

const DAY = 24 * 60 * 60 * 1000;
/** A fixed clock for fixtures, so dates in rendered output never depend on today. */
export const FIXTURE_NOW = Date.UTC(2025, 0, 15, 9, 30);

/** A batch row as an import would write it. */
export function newBatch(overrides: Partial<NewBatch> = {}): NewBatch {
  return {
    id: 'b-KKKKKKKKKKKKK001',
    locale: 'en-US',
    clipCount: 40,
    createdAt: FIXTURE_NOW - DAY,
    expiresAt: FIXTURE_NOW + 14 * DAY,
    importedAt: FIXTURE_NOW,
    ...overrides,
  };
}

/** A batch as main pushes it to the renderer. */
export function batchSummary(overrides: Partial<BatchSummary> = {}): BatchSummary {
  return {
    id: 'b-KKKKKKKKKKKKK001',
    locale: 'en-US',
    clipCount: 40,
    doneCount: 0,
    withheld: { consentWithdrawn: 0, quarantined: 0 },
    expiresAt: FIXTURE_NOW + 14 * DAY,
    status: 'active',
    ...overrides,
  };
}
