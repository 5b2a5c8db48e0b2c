import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../service/core';
import { DEMO_BATCH_IDS, DEMO_REVIEWER, DEMO_SUPERVISOR, DEMO_TEAM, seedDemo } from '../../service/seed';
import { openTestStore } from '../support/test-store';

const RESOURCES = resolve(__dirname, '../../resources');

describe('demo seed', () => {
  it('adds the demo reviewer, supervisor and batches from the bundled recordings, once', async () => {
    const core = createCore({ store: await openTestStore() });
    const { accounts, batches } = core.store;
    try {
      expect(await seedDemo(core, RESOURCES)).toBe(true);
      expect(await seedDemo(core, RESOURCES)).toBe(false);
      const roles = await Promise.all([DEMO_REVIEWER, DEMO_SUPERVISOR].map((a) => accounts.find(a.account)));
      expect(roles.map((a) => a?.role)).toEqual(['reviewer', 'supervisor']);
      expect((await core.store.teams.members(DEMO_TEAM)).map((m) => [m.account, m.role])).toEqual([
        [DEMO_REVIEWER.account, 'member'],
        [DEMO_SUPERVISOR.account, 'supervisor'],
      ]);
      // Only a hash of the password is kept.
      expect((await accounts.find(DEMO_REVIEWER.account))?.passwordHash).toMatch(/^scrypt\$/);
      // As a set: batches added within the same millisecond are listed by id, not in the order added.
      expect((await batches.assignedTo(DEMO_REVIEWER.account)).map((b) => b.batchId).sort()).toEqual(
        [...DEMO_BATCH_IDS].sort(),
      );
      const clips = await batches.clips(DEMO_BATCH_IDS[0]);
      expect(clips.length).toBeGreaterThan(10);
      // The recording whose speaker withdrew consent is listed, with no audio to send.
      expect(clips.filter((c) => c.details.consent === 'withdrawn').map((c) => c.audio)).toEqual([null]);
    } finally {
      await core.store.close();
    }
  });

  it('seeds once when two callers seed one empty store at the same time, and both succeed', async () => {
    const core = createCore({ store: await openTestStore() });
    try {
      const both = await Promise.all([0, 1].map(() => seedDemo(core, RESOURCES)));
      expect(both.sort()).toEqual([false, true]);
      expect((await core.store.accounts.list()).map((a) => a.account)).toEqual([
        DEMO_REVIEWER.account,
        DEMO_SUPERVISOR.account,
      ]);
      expect((await core.store.batches.assignedTo(DEMO_REVIEWER.account)).map((b) => b.batchId).sort()).toEqual(
        [...DEMO_BATCH_IDS].sort(),
      );
    } finally {
      await core.store.close();
    }
  });
});
