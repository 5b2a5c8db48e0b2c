/**
 * An erasure for withdrawn consent drops the plaintext the app keeps in memory of what it sealed
 * lately, even when it fails part-way: what it erased before the failure is not kept either.
 */
import { describe, expect, it, vi } from 'vitest';
import { createConsentService, type ConsentDeps } from '../../../main/services/consent.service';
import { quietLogger } from '../../../bench/quiet-logger';

type Erasure = ReturnType<ConsentDeps['consent']['eraseClip']>;

function consentWith(eraseClip: (clipId: string) => Erasure, forgetErased: () => void) {
  const deps = {
    consent: {
      withdrawnClipIds: () => new Set<string>(),
      eraseClip: (c: { clipId: string }) => eraseClip(c.clipId),
    },
    vault: { checkpoint: vi.fn() },
    batches: { status: () => 'active', list: () => [] },
    events: { emit: vi.fn() },
    clock: { now: () => 1, saveFloor: vi.fn() },
    logger: quietLogger,
    clipRef: (_b: string, c: string) => `ref-${c}`,
    forgetErased,
  } as unknown as ConsentDeps;
  return createConsentService(deps);
}

const erased = { erased: true, droppedOps: 0, droppedDrafts: 0, droppedEscalations: 0, erasedRevisions: 1 } as Erasure;

describe('consent erasure and the plaintext kept in memory', () => {
  it('forgets it once after erasing', () => {
    const forget = vi.fn();
    const consent = consentWith(() => erased, forget);
    expect(consent.eraseWithdrawn('b-1', ['c-1', 'c-2'], 'r-1')).toEqual(['c-1', 'c-2']);
    expect(forget).toHaveBeenCalledTimes(1);
  });

  it('forgets it when a later clip fails, and passes the failure on', () => {
    const forget = vi.fn();
    const consent = consentWith((clipId) => {
      if (clipId === 'c-2') {
        throw new Error('disk I/O error');
      }
      return erased;
    }, forget);
    expect(() => consent.eraseWithdrawn('b-1', ['c-1', 'c-2'], 'r-1')).toThrow('disk I/O error');
    expect(forget).toHaveBeenCalledTimes(1);
  });

  it('keeps it when nothing was erased', () => {
    const forget = vi.fn();
    const consent = consentWith(() => ({ ...erased, erased: false }), forget);
    expect(consent.eraseWithdrawn('b-1', ['c-1'], 'r-1')).toEqual([]);
    expect(forget).not.toHaveBeenCalled();
  });
});
