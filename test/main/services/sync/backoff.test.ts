import { describe, expect, it } from 'vitest';
import { createBackoff } from '../../../../main/services/sync/backoff';
import { parseRetryAfter } from '../../../../main/services/sync/sync-http';
import { toTimingRecord } from '../../../../main/services/sync/timing-records';
import { timingRecordSchema } from '../../../../shared/sync/messages';

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
  it('flattens a timing row into plain values under a per-device, per-version id', () => {
    const record = toTimingRecord('0123456789abcdef', {
      seq: 42,
      kind: 'clip',
      metrics: { batchId: 'b1', handleMs: 900, wer: null, deep: { x: 1 } },
    });
    expect(record).toEqual({
      id: '0123456789abcdef-42',
      kind: 'clip',
      values: { batchId: 'b1', handleMs: 900, wer: null },
    });
    expect(timingRecordSchema.parse(record)).toEqual(record);
  });
});
