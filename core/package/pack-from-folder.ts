/**
 * Builds a batch package from an operator's audio folder and clip list. Used by `batch pack`
 * and to make the demo batch on first run, so both produce exactly the same format.
 */
import type { KeyObject } from 'node:crypto';
import { randomBytes } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_CLIP_BYTES } from '../../shared/batch-package/limits';
import { idProblem, newId } from '../../shared/batch-package/pseudonymous-ids';
import { isInside } from '../fs/path-inside';
import { AudioProbeError, probeAudio } from './audio-probe';
import { ClipListError, type ClipList } from './clips-tsv';
import { writePackage, type PackClip } from './package-writer';

export type PackOptions = {
  readonly audioDir: string;
  readonly list: ClipList;
  readonly recipient: KeyObject;
  readonly out: string;
  readonly now: Date;
  readonly expiresInDays: number;
  readonly batchId?: string | undefined;
  /** The reviewer (pseudonym) the batch is assigned to, sealed in the package. */
  readonly assignedTo?: string | undefined;
};

export type PackResult = {
  readonly batchId: string;
  readonly bytes: number;
  readonly clips: number;
  readonly withdrawn: number;
};

/** A new batch id from the CSPRNG: opaque, so it tells nothing of when or for whom it was packed. */
export function newBatchId(): string {
  return newId('batch', randomBytes);
}

function readClipAudio(audioDir: string, file: string): Buffer {
  const root = realpathSync(audioDir);
  const path = realpathSync(join(root, file));
  if (!isInside(root, path)) {
    throw new Error(`resolves outside the audio folder`);
  }
  const size = statSync(path).size;
  if (size > MAX_CLIP_BYTES) {
    throw new Error(`is ${size} bytes; a clip is at most ${MAX_CLIP_BYTES}`);
  }
  return readFileSync(path);
}

/**
 * Reads and probes the audio of every clip of `list` from `audioDir`, as a package carries them:
 * a withdrawn clip keeps only its id and mark, and nothing of it is read. Every problem is
 * reported at once, each naming its line of the clip list.
 */
export function readClipsFromFolder(audioDir: string, list: ClipList): PackClip[] {
  const problems: string[] = [];
  const clips: PackClip[] = [];
  for (const row of list.rows) {
    if (row.consent === 'withdrawn') {
      // Nothing of a withdrawn clip is read or packed but its id and the mark that says so.
      clips.push({ details: { id: row.clipId, consent: 'withdrawn' }, audio: null });
      continue;
    }
    const base = {
      id: row.clipId,
      asrText: row.asrText,
      consent: row.consent,
      ...(row.hints ? { hints: row.hints } : {}),
    };
    let audio: Buffer;
    try {
      audio = readClipAudio(audioDir, row.file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problems.push(
        `line ${row.line}: file "${row.file}" ${code === 'ENOENT' ? 'does not exist' : error instanceof Error ? error.message : 'cannot be read'}.`,
      );
      continue;
    }
    try {
      const info = probeAudio(audio);
      if (info.durationMs === 0) {
        throw new AudioProbeError('It holds no audio samples.');
      }
      clips.push({ details: { ...base, durationMs: info.durationMs, codec: info.codec }, audio });
    } catch (error) {
      problems.push(
        `line ${row.line}: file "${row.file}": ${error instanceof Error ? error.message : 'unreadable audio'}`,
      );
    }
  }
  if (problems.length > 0) {
    throw new ClipListError(problems);
  }
  return clips;
}

export function packFromFolder(o: PackOptions): PackResult {
  const batchIdRefused = o.batchId === undefined ? undefined : idProblem('batch', o.batchId);
  if (batchIdRefused !== undefined) {
    throw new ClipListError([`batch id "${o.batchId?.slice(0, 80)}" is refused: ${batchIdRefused}.`]);
  }
  const clips = readClipsFromFolder(o.audioDir, o.list);
  const days = o.expiresInDays;
  const batchId = o.batchId ?? newBatchId();
  const bytes = writePackage(o.out, {
    batchId,
    createdAt: o.now,
    expiresAt: new Date(o.now.getTime() + days * 86_400_000),
    locale: o.list.rows[0]?.locale ?? 'en-US',
    recipient: o.recipient,
    clips,
    assignedTo: o.assignedTo,
  });
  return { batchId, bytes, clips: clips.length, withdrawn: clips.filter((c) => c.audio === null).length };
}
