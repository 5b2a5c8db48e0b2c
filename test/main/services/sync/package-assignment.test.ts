import { describe, expect, it } from 'vitest';
import { ServiceError } from '../../../../main/services/service-error';
import {
  assignmentRule,
  requireAssigned,
  type AssignmentRule,
  type AssignmentSource,
} from '../../../../main/services/sync/package-assignment';
import type { BatchListResponse } from '../../../../shared/sync/messages';

type Listed = BatchListResponse['batches'][number];

const BATCH = 'b-AAAAAAAAAAAA0001';
const OTHER = 'b-AAAAAAAAAAAA0002';
const listed = (batchId: string, extra: Partial<Listed> = {}): Listed => ({
  batchId,
  status: 'active',
  expiresAt: Date.parse('2026-12-31T00:00:00.000Z'),
  clipCount: 3,
  ...extra,
});

const source = (o: Partial<AssignmentSource>): AssignmentSource => ({
  configured: true,
  author: () => 'rv-7f3a21',
  listedBatches: () => Promise.resolve(null),
  ...o,
});

/** The refusal `requireAssigned` throws, as the window gets it. */
const refusal = (rule: AssignmentRule, batchId: string, assignedTo: string | null) => {
  try {
    requireAssigned(rule, batchId, assignedTo);
  } catch (error) {
    if (error instanceof ServiceError) {
      return error.toAppError();
    }
    throw error;
  }
  return null;
};

describe('whose batch a package carried in is', () => {
  it('takes any package without a service, and asks nothing', async () => {
    let asked = 0;
    const rule = await assignmentRule(
      source({
        configured: false,
        author: () => null,
        listedBatches: () => {
          asked += 1;
          return Promise.resolve([]);
        },
      }),
    );
    expect(rule).toEqual({ kind: 'open' });
    expect(refusal(rule, BATCH, null)).toBeNull();
    expect(asked).toBe(0);
  });

  it('refuses everything in service mode with nobody signed in, saying to sign in first', async () => {
    const error = await assignmentRule(source({ author: () => null })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceError);
    expect((error as ServiceError).toAppError()).toMatchObject({
      code: 'PACKAGE_REFUSED',
      message: "Sign in before importing: a package is taken only for the signed-in reviewer's batches.",
      details: { reason: 'sign_in_first' },
    });
  });

  it('online, takes a batch the service lists as the reviewer’s and active, whatever the package says', async () => {
    const rule = await assignmentRule(source({ listedBatches: () => Promise.resolve([listed(BATCH)]) }));
    expect(rule.kind).toBe('listed');
    expect(refusal(rule, BATCH, null)).toBeNull();
    expect(refusal(rule, BATCH, 'rv-someone-else')).toBeNull();
  });

  it('online, refuses a batch the service does not list (or lists as no longer active): sync would erase it', async () => {
    const rule = await assignmentRule(
      source({ listedBatches: () => Promise.resolve([listed(OTHER, { status: 'revoked' })]) }),
    );
    for (const batchId of [BATCH, OTHER]) {
      expect(refusal(rule, batchId, 'rv-7f3a21')).toEqual({
        code: 'PACKAGE_REFUSED',
        message: `The service does not assign batch "${batchId}" to this reviewer: the next sync would erase it.`,
        details: { reason: 'not_assigned', batchId },
      });
    }
  });

  it('online, refuses a batch another workstation holds or this one handed over', async () => {
    const rule = await assignmentRule(
      source({
        listedBatches: () =>
          Promise.resolve([listed(BATCH, { holder: 'elsewhere' }), listed(OTHER, { holder: 'handed_over' })]),
      }),
    );
    for (const batchId of [BATCH, OTHER]) {
      expect(refusal(rule, batchId, 'rv-7f3a21')).toEqual({
        code: 'PACKAGE_REFUSED',
        message: `Batch "${batchId}" is held by another workstation (or was handed over from this one): the next sync would erase it.`,
        details: { reason: 'held_elsewhere', batchId },
      });
    }
  });

  it('offline, takes a package that carries the signed-in reviewer’s assignment', async () => {
    const rule = await assignmentRule(source({}));
    expect(rule).toEqual({ kind: 'carried', reviewer: 'rv-7f3a21' });
    expect(refusal(rule, BATCH, 'rv-7f3a21')).toBeNull();
  });

  it('offline, refuses a package assigned to another reviewer', async () => {
    const rule = await assignmentRule(source({}));
    expect(refusal(rule, BATCH, 'rv-0a0b0c')).toEqual({
      code: 'PACKAGE_REFUSED',
      message: `The package assigns batch "${BATCH}" to another reviewer: the next sync would erase it.`,
      details: { reason: 'assigned_elsewhere', batchId: BATCH },
    });
  });

  it('offline, refuses a package that names no reviewer', async () => {
    const rule = await assignmentRule(source({}));
    expect(refusal(rule, BATCH, null)).toEqual({
      code: 'PACKAGE_REFUSED',
      message: `The package of batch "${BATCH}" names no reviewer, and the service cannot be asked while offline.`,
      details: { reason: 'no_assignment', batchId: BATCH },
    });
  });
});
