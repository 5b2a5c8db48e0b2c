import { describe, expect, it } from 'vitest';
import { createBackoff } from '../../../../main/services/sync/backoff';
import { parseRetryAfter } from '../../../../main/services/sync/sync-http';
import { toTimingRecord } from '../../../../main/services/sync/timing-records';
import { timingRecordSchema } from '../../../../shared/sync/messages';
import { testRowId } from '../../../support/ids';

describe('backoff', () => {
  it('doubles its ceiling per failure up to the maximum and waits within the upper half of it', () => {
    const low = createBackoff({ baseMs: 1_000, maxMs: 8_000, random: () => 0 });
    expect([low.next(), low.next(), low.next(), low.next(), low.next()]).toEqual([500, 1_000, 2_000, 4_000, 4_000]);
    const high = createBackoff({ baseMs: 1_000, maxMs: 8_000, random: () => 0.99 });
    expect(high.next()).toBe(995);
  });

  it('starts again from the base after a success', () => {
    const b = createBackoff({ random: () => 0 });
    b.next();
    b.next();
    b.reset();
    expect([b.failures, b.next()]).toEqual([0, 500]);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});

describe('toTimingRecord', () => {
  const shift = {
    id: testRowId('shift-1'),
    pseudonym: 'rv-7f3a21',
    startedAt: 1_000,
    startReason: 'sign_in',
    lastActivityAt: 5_000,
    endedAt: null,
    endReason: null,
  } as const;

  it('turns a shift row into its numbers-only record under a per-device, per-version id', () => {
    const record = toTimingRecord('0123456789abcdef', { seq: 42, kind: 'shift', shift });
    expect(record).toEqual({ id: '0123456789abcdef-42', kind: 'shift', values: shift });
    expect(timingRecordSchema.parse(record)).toEqual(record);
  });

  it('copies only the fields its kind allows, and sends an unknown event label as null', () => {
    const event = {
      id: 7,
      epoch: 'epoch-0001',
      seq: 3,
      kind: 'idle',
      t: 12.5,
      at: 2_000,
      shiftId: testRowId('shift-1'),
      batchId: 'b-AAAAAAAAAAAAAAA1',
      clipId: 'c-AAAAAAAAAAAAAAA1',
      positionMs: null,
      value: null,
      label: 'a label no version knows',
    } as const;
    // A field the row might grow (here a note) is not copied: only the schema's fields travel.
    const grown = { ...event, note: 'call me at 555' };
    const record = toTimingRecord('0123456789abcdef', { seq: 43, kind: 'event', event: grown });
    expect(record.values).toEqual({ ...event, label: null });
    expect(timingRecordSchema.parse(record)).toEqual(record);
  });
});
