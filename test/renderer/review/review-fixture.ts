/** A batch of real (tiny, WAV) clips imported through the real vault, for flow and screen tests. */
import { join } from 'node:path';
import type { InProcessApi } from '../../support/in-process-api';
import { sineWav, writeTestPackage, type TestClip } from '../../support/packages';
import { testClipId } from '../../support/ids';

export const REVIEW_BATCH = 'b-AAAAAAAAAAREV1EW';

/** Five clips, c-AAAAAAAAAAAAAAA1 … c-AAAAAAAAAAAAAAA5, with distinct hypotheses. */
export const reviewClips: readonly TestClip[] = [1, 2, 3, 4, 5].map((n) => ({
  id: testClipId(n),
  asrText: `turn on light number ${n}`,
  audio: sineWav({ frequencyHz: 300 + n * 100, durationMs: 300 }),
  durationMs: 300,
}));

/** Writes a package for the workstation's key and imports it; returns the batch id. */
export function importReviewBatch(
  main: InProcessApi,
  clips: readonly TestClip[] = reviewClips,
  batchId = REVIEW_BATCH,
): string {
  const file = join(main.dataDir, `${batchId}.earmark`);
  writeTestPackage(file, { recipient: main.services.vault.deviceKey().publicKey, batchId, clips });
  main.services.vault.importPackage(file);
  return batchId;
}
