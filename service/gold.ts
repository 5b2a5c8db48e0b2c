/**
 * What operators do with gold clips (docs/gold-clips.md) — seed one, list them, remove one, mix
 * some into a batch — in one place for the admin CLI and batch creation. Every act is audited in
 * the unit of work that makes it, and every refusal too. The audit rows name ids and counts,
 * never the reference text.
 */
import { randomInt } from 'node:crypto';
import { AudioProbeError, probeAudio } from '../core/package/audio-probe';
import { localeSchema, type ClipDetails, clipDetailsSchema, deviceTypes } from '../shared/batch-package/manifest';
import { MAX_ASR_CHARS, MAX_CLIP_BYTES, MAX_CLIPS } from '../shared/batch-package/limits';
import { criticalCategories, dispositions, MAX_TRANSCRIPT_CHARS, type Disposition } from '../shared/domain/annotation';
import { appendAudit } from './audit';
import type { Core } from './core';
import type { Actor } from './devices';
import { GOLD_ID, newClipId, newGoldId } from './gold-ids';
import { HttpError } from './http';
import type { GoldClipDetails } from './store/gold-repository';
import type { Repositories } from './store/repositories';

/** What an operator hands over to seed a gold clip. */
export type GoldInput = {
  readonly audio: Buffer;
  /** What the reviewer sees prefilled, as for any clip. */
  readonly asrText: string;
  /** The right transcript, critical data marked `[CRITICAL:<category>]` as a submission marks it. */
  readonly reference: string;
  readonly disposition: Disposition;
  readonly locale: string;
  readonly hints?: ClipDetails['hints'];
};

/** Every `[CRITICAL…]` marker of `text`, well formed or not. */
const CRITICAL_MARKER = /\[CRITICAL[^\]]*\]?/gu;

/** What is wrong with a reference's critical markers, or undefined when they read as a submission's. */
export function referenceProblem(reference: string): string | undefined {
  if (reference.length > MAX_TRANSCRIPT_CHARS * 2) {
    return `The reference is longer than ${MAX_TRANSCRIPT_CHARS * 2} characters.`;
  }
  for (const [marker] of reference.matchAll(CRITICAL_MARKER)) {
    const category = /^\[CRITICAL:([a-z_]+)\]$/u.exec(marker)?.[1];
    if (category === undefined || !(criticalCategories as readonly string[]).includes(category)) {
      return `"${marker}" is not a critical marker; write [CRITICAL:<category>] with one of ${criticalCategories.join(', ')}.`;
    }
  }
  return undefined;
}

function checkInput(g: GoldInput): GoldClipDetails {
  if (!dispositions.includes(g.disposition)) {
    throw new HttpError(400, 'bad_request', `The disposition must be one of ${dispositions.join(', ')}.`);
  }
  if (!localeSchema.safeParse(g.locale).success) {
    throw new HttpError(400, 'bad_request', 'A locale looks like "en-US".');
  }
  if (g.asrText.length > MAX_ASR_CHARS) {
    throw new HttpError(400, 'bad_request', `The ASR text is longer than ${MAX_ASR_CHARS} characters.`);
  }
  if (g.hints?.deviceType !== undefined && !deviceTypes.includes(g.hints.deviceType)) {
    throw new HttpError(400, 'bad_request', `The device type must be one of ${deviceTypes.join(', ')}.`);
  }
  const problem = referenceProblem(g.reference);
  if (problem !== undefined) {
    throw new HttpError(400, 'bad_request', problem);
  }
  if (g.audio.length === 0 || g.audio.length > MAX_CLIP_BYTES) {
    throw new HttpError(400, 'bad_request', `The audio must be 1 to ${MAX_CLIP_BYTES} bytes.`);
  }
  try {
    const info = probeAudio(g.audio);
    return {
      durationMs: info.durationMs,
      codec: info.codec,
      asrText: g.asrText,
      ...(g.hints && Object.keys(g.hints).length > 0 ? { hints: g.hints } : {}),
    };
  } catch (error) {
    if (error instanceof AudioProbeError) {
      throw new HttpError(400, 'bad_request', error.message);
    }
    throw error;
  }
}

/**
 * Runs one act in a unit of work and audits it as `admin.gold.<action>`; a refusal (an
 * HttpError) is audited with its code and thrown on, marked as audited.
 */
async function act<T>(
  core: Core,
  by: Actor,
  action: 'add' | 'remove' | 'mix',
  subject: string | null,
  work: (tx: Repositories) => Promise<{ result: T; detail: Readonly<Record<string, string | number>> }>,
): Promise<T> {
  const base = { at: core.now(), actor: by.operator, source: by.source, action: `admin.gold.${action}`, subject };
  try {
    return await core.store.transaction(async (tx) => {
      const { result, detail } = await work(tx);
      await appendAudit(tx, { ...base, detail });
      return result;
    });
  } catch (error) {
    if (!(error instanceof HttpError)) {
      throw error;
    }
    await appendAudit(core.store, { ...base, outcome: 'refused', code: error.code });
    throw new HttpError(error.status, error.code, error.message, error.headers, true);
  }
}

/** Seeds a gold clip; returns its id. Refused (400) when the audio, markers or labels are not valid. */
export async function addGoldClip(core: Core, by: Actor, g: GoldInput): Promise<string> {
  const goldId = newGoldId();
  return act(core, by, 'add', goldId, async (tx) => {
    const details = checkInput(g);
    await tx.gold.add({
      goldId,
      locale: g.locale,
      details,
      audio: g.audio,
      reference: g.reference,
      disposition: g.disposition,
      createdAt: core.now(),
      createdBy: by.operator,
    });
    return { result: goldId, detail: { locale: g.locale, durationMs: details.durationMs } };
  });
}

/** Removes a gold clip from further mixing; uses already made are still scored. */
export async function removeGoldClip(core: Core, by: Actor, goldId: string): Promise<void> {
  await act(core, by, 'remove', goldId, async (tx) => {
    if (!(await tx.gold.remove(goldId, core.now(), by.operator))) {
      throw new HttpError(404, 'not_found', `No gold clip "${goldId}".`);
    }
    return { result: undefined, detail: {} };
  });
}

/** A batch's clip as the package carries it, in the schema's key order like every other clip. */
function packedGoldDetails(clipId: string, d: GoldClipDetails): ClipDetails {
  return clipDetailsSchema.parse({ ...d, id: clipId, consent: 'granted' });
}

/**
 * Mixes gold clips into a batch nobody has checked out yet: each goes in at a random position
 * under a fresh random clip id, as an ordinary clip of the batch. Refused when the batch is
 * unknown, no longer active, already checked out (its package exists), or of another locale, and
 * when a gold clip is unknown, removed or in the batch already. Returns the new clip ids, which
 * only the service and the operator's terminal ever see paired with gold.
 */
export async function mixGoldClips(
  core: Core,
  by: Actor,
  batchId: string,
  goldIds: readonly string[],
): Promise<string[]> {
  return act(core, by, 'mix', batchId, async (tx) => {
    const now = core.now();
    const batch = await tx.batches.find(batchId);
    if (!batch) {
      throw new HttpError(404, 'not_found', `No batch "${batchId}".`);
    }
    if (batch.revokedAt !== null || batch.expiresAt <= now) {
      throw new HttpError(403, 'forbidden', `Batch "${batchId}" is no longer active.`);
    }
    if (await tx.gold.everCheckedOut(batchId)) {
      throw new HttpError(409, 'conflict', `Batch "${batchId}" was checked out already: its clips are fixed.`);
    }
    if (new Set(goldIds).size !== goldIds.length || goldIds.length === 0) {
      throw new HttpError(400, 'bad_request', 'Name each gold clip once, and at least one.');
    }
    if (batch.clipCount + goldIds.length > MAX_CLIPS) {
      throw new HttpError(400, 'bad_request', `A batch holds at most ${MAX_CLIPS} clips.`);
    }
    const clipIds: string[] = [];
    let count = batch.clipCount;
    for (const goldId of goldIds) {
      const gold = GOLD_ID.test(goldId) ? await tx.gold.find(goldId) : undefined;
      if (!gold || gold.removedAt !== null) {
        throw new HttpError(404, 'not_found', `No gold clip "${goldId}" to mix.`);
      }
      if (gold.locale !== batch.locale) {
        throw new HttpError(
          400,
          'bad_request',
          `Gold clip "${goldId}" is ${gold.locale}; the batch is ${batch.locale}.`,
        );
      }
      if (await tx.gold.usedIn(batchId, goldId)) {
        throw new HttpError(409, 'conflict', `Gold clip "${goldId}" is in batch "${batchId}" already.`);
      }
      let clipId = newClipId();
      while (await tx.batches.hasClip(batchId, clipId)) {
        clipId = newClipId();
      }
      await tx.gold.mix({
        batchId,
        goldId,
        // Anywhere from before the first clip to after the last, so its place says nothing either.
        ordinal: randomInt(count + 1),
        clip: { details: packedGoldDetails(clipId, gold.details), audio: gold.audio },
        at: now,
        by: by.operator,
      });
      clipIds.push(clipId);
      count += 1;
    }
    return { result: clipIds, detail: { clips: clipIds.length } };
  });
}
