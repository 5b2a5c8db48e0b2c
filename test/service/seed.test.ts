import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCore } from '../../service/core';
import { DEMO_BATCH_IDS, DEMO_REVIEWER, DEMO_SUPERVISOR, seedDemo } from '../../service/seed';

describe('demo seed', () => {
  it('adds the demo reviewer, supervisor and batches from the bundled recordings, once', async () => {
    const core = createCore({ dbFile: ':memory:' });
    try {
      expect(await seedDemo(core, resolve(__dirname, '../../resources'))).toBe(true);
      expect(await seedDemo(core, resolve(__dirname, '../../resources'))).toBe(false);
      expect([DEMO_REVIEWER, DEMO_SUPERVISOR].map((a) => core.auth.account(a.account)?.role)).toEqual([
        'reviewer',
        'supervisor',
      ]);
      // Only a hash of the password is kept.
      expect(core.auth.account(DEMO_REVIEWER.account)?.passwordHash).toMatch(/^scrypt\$/);
      expect(core.batches.assignedTo(DEMO_REVIEWER.account).map((b) => b.batchId)).toEqual([...DEMO_BATCH_IDS]);
      const clips = core.batches.clips(DEMO_BATCH_IDS[0]);
      expect(clips.length).toBeGreaterThan(10);
      // The recording whose speaker withdrew consent is listed, with no audio to send.
      expect(clips.filter((c) => c.details.consent === 'withdrawn').map((c) => c.audio)).toEqual([null]);
    } finally {
      core.db.close();
    }
  });
});
