import { describe, expect, it } from 'vitest';
import { timingRecordSchema } from '../../../shared/sync/timing-records';
import { testRowId } from '../../support/ids';

const shift = {
  id: 'record-1',
  kind: 'shift',
  values: {
    id: testRowId('shift-1'),
    pseudonym: 'rv-7f3a21',
    startedAt: 1,
    startReason: 'sign_in',
    lastActivityAt: 2,
    endedAt: null,
    endReason: null,
  },
} as const;

const problem = (record: unknown): string => {
  const parsed = timingRecordSchema.safeParse(record);
  const issue = parsed.error?.issues[0];
  return issue ? `${issue.path.join('.')}: ${issue.message}` : 'ok';
};

describe('timing record schemas', () => {
  it('takes a shift with its last activity', () => {
    expect(timingRecordSchema.parse(shift)).toEqual(shift);
  });

  it('refuses any field a kind does not name, a free-text label and an unknown kind', () => {
    expect(problem({ ...shift, values: { ...shift.values, note: 'card number is 4485' } })).toMatch(
      /^values: Unrecognized key: "note"/,
    );
    expect(problem({ ...shift, values: { ...shift.values, startReason: 'called in sick' } })).toMatch(
      /^values\.startReason: /,
    );
    expect(problem({ ...shift, values: { ...shift.values, pseudonym: 'Ana Pérez' } })).toMatch(/^values\.pseudonym: /);
    expect(problem({ ...shift, kind: 'diary' })).toMatch(/^kind: /);
    // Supervisors read shift ids: one that spells words is not a UUID.
    expect(problem({ ...shift, values: { ...shift.values, id: 'ring_Ana_on_0612345678' } })).toBe(
      'values.id: a shift or break id is a UUID',
    );
  });

  it('refuses a shift without lastActivityAt and a number that is not finite', () => {
    const { lastActivityAt: _dropped, ...withoutActivity } = shift.values;
    expect(problem({ ...shift, values: withoutActivity })).toMatch(/^values\.lastActivityAt: /);
    expect(problem({ ...shift, values: { ...shift.values, startedAt: Number.POSITIVE_INFINITY } })).toMatch(
      /^values\.startedAt: /,
    );
  });
});
