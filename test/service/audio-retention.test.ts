/**
 * Audio retention over a real store and HTTP: the audio of a batch that ended longer ago than the
 * retention period is purged (audited with its count), a batch still running keeps its audio, and
 * a batch whose audio was purged is never packed again, even if its expiry is moved later.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purgeEndedAudio, scheduleAudioPurge } from '../../service/audio-retention';
import { approvedReviewer } from '../support/approved-reviewer';
import { testBatchId } from '../support/ids';
import { startTestService, type TestService } from '../support/reference-service';

const DAY_MS = 24 * 60 * 60 * 1000;
const ENDED = testBatchId(41);
const RUNNING = testBatchId(42);

describe('audio retention', () => {
  let svc: TestService;
  beforeEach(async () => {
    svc = await startTestService();
  });
  afterEach(async () => {
    await svc.stop();
  });

  const heldAudio = async (batchId: string): Promise<number> =>
    (
      await svc.query<{ n: number }>(
        'SELECT count(*) AS n FROM batch_clips WHERE batch_id = ? AND audio IS NOT NULL',
        batchId,
      )
    )[0]?.n ?? -1;
  const purges = () =>
    svc.query<{ actor: string; detail: string }>("SELECT actor, detail FROM audit_events WHERE action = 'audio.purge'");

  it('purges the audio of batches ended over the retention period ago, audited, and keeps the rest', async () => {
    await svc.addBatch(ENDED, 3);
    expect(await svc.service.core.store.batches.revoke(ENDED, svc.now())).toBe(true);
    svc.advance(6 * DAY_MS);
    expect(await purgeEndedAudio(svc.service.core, 7)).toBe(0);
    expect([await heldAudio(ENDED), await purges()]).toEqual([3, []]);

    await svc.addBatch(RUNNING, 2);
    svc.advance(2 * DAY_MS);
    const purge = scheduleAudioPurge(svc.service.core, { retentionDays: 7, onError: (e) => expect(e).toBeUndefined() });
    try {
      expect(await purge.first).toBe(3);
    } finally {
      purge.stop();
    }
    expect([await heldAudio(ENDED), await heldAudio(RUNNING)]).toEqual([0, 2]);
    expect((await purges()).map((r) => ({ actor: r.actor, detail: JSON.parse(r.detail) as unknown }))).toEqual([
      { actor: 'service', detail: { clips: 3, retentionDays: 7, endedBefore: svc.now() - 7 * DAY_MS } },
    ]);
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toMatch(/^earmark_audio_purged_clips_total 3$/m);
  });

  it('never packs a batch whose audio was purged, even when its expiry is moved later', async () => {
    await svc.addBatch(ENDED, 2);
    svc.advance(15 * DAY_MS + 8 * DAY_MS);
    expect(await purgeEndedAudio(svc.service.core, 7)).toBe(2);
    // An operator moves the expiry of the ended batch.
    expect(await svc.service.core.store.batches.setExpiry(ENDED, svc.now() + DAY_MS)).toBe(true);
    const reviewer = await approvedReviewer(svc, await svc.issueEnrolmentCode());
    const refused = await reviewer.checkout(ENDED);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.bytes.toString('utf8'))).toMatchObject({ error: { code: 'forbidden' } });
    expect(refused.bytes.toString('utf8')).toMatch(/audio was purged/);
  });
});
