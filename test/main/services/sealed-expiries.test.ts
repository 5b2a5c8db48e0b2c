/**
 * The sealed copy of expiries brought forward, over an in-memory sealed state: what falls due,
 * what a write keeps, the app locked, and an entry that cannot be trusted.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { SealedStateError, type SealedRead } from '../../../main/db/sealed-state';
import { silentLogger } from '../../../main/log/logger';
import { createSealedExpiries, endDue } from '../../../main/services/sealed-expiries';

/** One entry in memory; `refuse` reads it as rolled back, `locked` throws as a missing device key does. */
function memoryState() {
  let value: unknown;
  const s = {
    refuse: false,
    locked: false,
    writes: [] as unknown[],
    read<T>(_name: string, schema: z.ZodType<T>): SealedRead<T> {
      if (s.locked) {
        throw new Error('locked');
      }
      if (s.refuse) {
        return { state: 'refused', error: new SealedStateError('rolledBack', 'batchExpiries', 'older copy') };
      }
      return value === undefined
        ? { state: 'absent' }
        : { state: 'present', value: schema.parse(value), counter: s.writes.length };
    },
    advance<T>(_name: string, schema: z.ZodType<T>, next: T): void {
      value = schema.parse(next);
      s.writes.push(value);
    },
  };
  return s;
}

const build = (state: ReturnType<typeof memoryState>, active: Set<string>) =>
  createSealedExpiries({ state, logger: silentLogger, isActive: (id) => active.has(id) });

describe('sealed batch expiries', () => {
  it('names an active batch due once its kept time has come, and no other', () => {
    const active = new Set(['b-1', 'b-2']);
    const expiries = build(memoryState(), active);
    expiries.bringForward('b-1', 1_000);
    expiries.bringForward('b-2', 5_000);
    expect(expiries.dueBy(999)).toEqual([]);
    expect(expiries.dueBy(1_000)).toEqual(['b-1']);
    active.delete('b-1');
    expect(expiries.dueBy(9_000)).toEqual(['b-2']);
  });

  it('keeps the earliest time, writes only when it moves, and drops ended batches at a write', () => {
    const state = memoryState();
    const active = new Set(['b-1', 'b-2']);
    const expiries = build(state, active);
    expiries.bringForward('b-1', 2_000);
    expiries.bringForward('b-1', 3_000);
    expect(state.writes).toEqual([{ 'b-1': 2_000 }]);
    active.delete('b-1');
    expiries.bringForward('b-2', 4_000);
    expect(state.writes.at(-1)).toEqual({ 'b-2': 4_000 });
  });

  it('reads again once the app is unlocked, and refuses to write while locked', () => {
    const state = memoryState();
    build(state, new Set(['b-1'])).bringForward('b-1', 1_000);
    state.locked = true;
    const restarted = build(state, new Set(['b-1']));
    expect(restarted.dueBy(5_000)).toEqual([]);
    expect(() => restarted.bringForward('b-1', 500)).toThrow(/locked/);
    state.locked = false;
    expect(restarted.dueBy(5_000)).toEqual(['b-1']);
  });

  it('fails closed on an entry that cannot be trusted, and stays closed', () => {
    const state = memoryState();
    state.refuse = true;
    const expiries = build(state, new Set(['b-1']));
    expect(() => expiries.dueBy(0)).toThrow(SealedStateError);
    state.refuse = false;
    expect(() => expiries.dueBy(0)).toThrow(SealedStateError);
    expect(() => expiries.bringForward('b-1', 1)).toThrow(SealedStateError);
    expect(state.writes).toEqual([]);
  });

  it('ends what the rows name as due before refusing on an entry that cannot be trusted', () => {
    const state = memoryState();
    state.refuse = true;
    const ended: string[][] = [];
    const expiries = build(state, new Set(['b-1', 'b-2']));
    expect(() =>
      endDue(
        1_000,
        () => ['b-2'],
        expiries,
        (due) => ended.push(due),
      ),
    ).toThrow(SealedStateError);
    expect(ended).toEqual([['b-2']]);
  });
});
