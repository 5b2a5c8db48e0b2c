/**
 * Audio retention: the service holds a clip's audio only while its batch may still be checked
 * out. Once a batch has ended (revoked, or past its expiry) for longer than the retention period,
 * the audio of its clips is erased; details stay (pseudonymous ids and hints). Each purge that
 * erased something is audited with its count. The purge runs at start and then periodically.
 */
import { appendAudit } from './audit';
import type { Core } from './core';

export const DEFAULT_AUDIO_RETENTION_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

/** How often the purge runs after the first one. */
export const AUDIO_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** Who the audit trail names for the purge: the service itself, on its own host. */
export const RETENTION_ACTOR = 'service';
export const RETENTION_SOURCE = 'service';

/** Erases the audio of batches that ended more than `retentionDays` ago; returns how many clips lost it. */
export async function purgeEndedAudio(core: Core, retentionDays: number): Promise<number> {
  const now = core.now();
  const endedBefore = now - retentionDays * DAY_MS;
  const clips = await core.store.batches.purgeEndedAudio(endedBefore);
  if (clips > 0) {
    await appendAudit(core.store, {
      at: now,
      actor: RETENTION_ACTOR,
      source: RETENTION_SOURCE,
      action: 'audio.purge',
      detail: { clips, retentionDays, endedBefore },
    });
    core.metrics.audioPurged(clips);
    // Erased audio must not linger in the write-ahead log either.
    await core.store.checkpoint();
  }
  return clips;
}

/**
 * Runs the purge now and every `intervalMs`; a failed run is reported and tried again at the next
 * turn. Returns the function that stops it.
 */
export function scheduleAudioPurge(
  core: Core,
  o: { readonly retentionDays: number; readonly intervalMs?: number; readonly onError: (error: unknown) => void },
): { readonly first: Promise<number>; stop(): void } {
  const run = (): Promise<number> =>
    purgeEndedAudio(core, o.retentionDays).catch((error: unknown) => {
      o.onError(error);
      return 0;
    });
  const first = run();
  const timer = setInterval(() => void run(), o.intervalMs ?? AUDIO_PURGE_INTERVAL_MS);
  // The purge never keeps the process alive by itself.
  timer.unref();
  return { first, stop: () => clearInterval(timer) };
}
