/**
 * The setting every hostile-input case runs in: real services over a private data folder, the
 * real IPC dispatcher in front of them, and a reviewer's saved work (a submitted annotation
 * and a draft) made before the hostile input arrives. After each case the suite checks that
 * main still answers ordinary calls, that the saved work reads back unchanged, and that no
 * planted plaintext reached any file under the data folder.
 */
import { createHash, randomBytes, type KeyObject } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DEVICE_KEY_FILE, STATE_ANCHOR_FILE } from '../../../main/crypto/key-store';
import { createDispatcher } from '../../../main/ipc/dispatcher';
import { createHandlerTable } from '../../../main/ipc/handlers';
import type { SenderInfo } from '../../../main/ipc/sender';
import { silentLogger } from '../../../main/log/logger';
import type { Services } from '../../../main/services';
import type { Annotation } from '../../../shared/domain/annotation';
import type { Result } from '../../../shared/result';
import { audioMagic, filesUnder, scan, textNeedles, type Needle } from '../../support/disk-scan';
import { patternWav, sineWav, writeTestPackage } from '../../support/packages';
import { makeServices, serviceError, type ServicesEnv } from '../../support/services';
import { makeTempDir } from '../../support/temp-dir';

const ORIGIN = 'app://earmark';
const ownWindow: SenderInfo = { frameUrl: `${ORIGIN}/index.html`, fromOwnWindow: true };

/** Plaintext planted in a hostile input, to be looked for on disk afterwards. */
export type Canary = {
  /** A unique transcript-like string. */
  readonly text: string;
  /** A WAV whose samples are a unique 32-byte pattern repeated (128 ms at 8 kHz). */
  readonly audio: Buffer;
  readonly durationMs: number;
  readonly needles: readonly Needle[];
};

export function makeCanary(label: string): Canary {
  const text = `HOSTILE-CANARY-${label}-${randomBytes(6).toString('hex')} please read my card number`;
  const pattern = createHash('sha256').update(text).digest();
  return {
    text,
    audio: patternWav(pattern, 64),
    durationMs: 128,
    needles: [...textNeedles('canary', text), { name: 'canary audio pattern', bytes: pattern }],
  };
}

export const SAVED_BATCH = 'b-AAAAAAASAVEDW0RK';

export type HostileEnv = {
  readonly services: Services;
  readonly dataDir: string;
  /** A path for a test input, outside the data folder. */
  input(name: string): string;
  /** The workstation's public key, for packing hostile batches that reach the key checks. */
  recipient(): KeyObject;
  /** One call through the real dispatcher, as the renderer makes it. */
  invoke(channel: string, payload?: unknown): Promise<Result<unknown>>;
  /** Main still answers ordinary calls, and the saved work reads back exactly as it was saved. */
  expectSurvived(): Promise<void>;
  /** No needle (nor the saved work's text, nor an audio signature) in any file under the data folder. */
  expectNothingReadable(needles?: readonly Needle[]): void;
  dispose(): void;
};

const SAVED_TEXT = `SAVED-WORK-${randomBytes(6).toString('hex')} turn on the porch light`;
const DRAFT_TEXT = `DRAFT-WORK-${randomBytes(6).toString('hex')} set an alarm for six`;
const savedAudio = sineWav({ durationMs: 400, frequencyHz: 523 });

function saveWork(env: ServicesEnv, inputs: string): Annotation {
  const s = env.services;
  writeTestPackage(join(inputs, 'saved.earmark'), {
    recipient: s.vault.deviceKey().publicKey,
    batchId: SAVED_BATCH,
    clips: [{ id: 'c-AAAAAAAAAAAASAV1', audio: savedAudio, durationMs: 400 }, { id: 'c-AAAAAAAAAAAASAV2' }],
  });
  s.vault.importPackage(join(inputs, 'saved.earmark'));
  const submitted = s.annotations.submit({
    batchId: SAVED_BATCH,
    clipId: 'c-AAAAAAAAAAAASAV1',
    basedOnRevision: 0,
    disposition: 'transcribed',
    body: { transcript: SAVED_TEXT, critical: [], entities: [] },
  });
  s.annotations.saveDraft(
    SAVED_BATCH,
    'c-AAAAAAAAAAAASAV2',
    0,
    { transcript: DRAFT_TEXT, critical: [], entities: [] },
    'noise_only',
  );
  return submitted;
}

export function makeHostileEnv(): HostileEnv {
  const env = makeServices();
  const inputs = makeTempDir('earmark-hostile-in-');
  const submitted = saveWork(env, inputs.dir);
  const dispatcher = createDispatcher({
    handlers: createHandlerTable(env.services),
    allowedOrigin: ORIGIN,
    logger: silentLogger,
  });
  const invoke = (channel: string, payload?: unknown) => dispatcher.invoke(ownWindow, channel, payload);
  const ref = (clipId: string) => ({ batchId: SAVED_BATCH, clipId });

  return {
    get services() {
      return env.services;
    },
    dataDir: env.dataDir,
    input: (name) => join(inputs.dir, name),
    recipient: () => env.services.vault.deviceKey().publicKey,
    invoke,

    async expectSurvived() {
      expect(await invoke('app:getInfo')).toMatchObject({ ok: true, value: { name: 'Earmark' } });
      expect(await invoke('batches:list')).toMatchObject({
        ok: true,
        value: expect.arrayContaining([
          expect.objectContaining({ id: SAVED_BATCH, status: 'active', doneCount: 1 }),
        ]) as unknown,
      });
      expect(await invoke('annotations:history', ref('c-AAAAAAAAAAAASAV1'))).toEqual({ ok: true, value: [submitted] });
      expect(await invoke('annotations:work', ref('c-AAAAAAAAAAAASAV2'))).toMatchObject({
        ok: true,
        value: { latest: null, draft: { transcript: DRAFT_TEXT, disposition: 'noise_only', basedOnRevision: 0 } },
      });
      const clip = await invoke('clips:open', ref('c-AAAAAAAAAAAASAV1'));
      expect(clip.ok && Buffer.from((clip.value as { audio: Uint8Array }).audio).equals(savedAudio)).toBe(true);
    },

    expectNothingReadable(needles = []) {
      // A refused or quarantined input leaves no file of its own behind either; the database, the
      // device key and the sealed state's anchor are the app's own.
      const appFiles = new Set([DEVICE_KEY_FILE, STATE_ANCHOR_FILE]);
      expect(readdirSync(env.dataDir).filter((n) => !/^earmark\.db(-wal|-shm)?$/.test(n) && !appFiles.has(n))).toEqual(
        [],
      );
      const all = [
        ...needles,
        ...textNeedles('saved annotation', SAVED_TEXT),
        ...textNeedles('saved draft', DRAFT_TEXT),
        ...audioMagic,
      ];
      expect(scan(filesUnder(env.dataDir), all)).toEqual([]);
    },

    dispose() {
      env.dispose();
      inputs.remove();
    },
  };
}

/**
 * Imports `file`, expecting the whole package refused with `message`; then checks that only the
 * saved batch is here, main survived, and no needle reached the disk. Returns the message.
 */
export async function expectImportRefused(
  env: HostileEnv,
  file: string,
  message: RegExp,
  needles: readonly Needle[] = [],
): Promise<string> {
  const error = serviceError('PACKAGE_REFUSED', () => env.services.vault.importPackage(file));
  expect(error).toMatch(/^The batch package was refused: /);
  expect(error).toMatch(message);
  expect(env.services.batches.list().map((b) => b.id)).toEqual([SAVED_BATCH]);
  await env.expectSurvived();
  env.expectNothingReadable(needles);
  return error;
}

/**
 * Imports `file`, expecting exactly `quarantined` (clip id → reason) held back with no audio
 * and every other clip ready; then the same survival and disk checks.
 */
export async function expectImportQuarantines(
  env: HostileEnv,
  file: string,
  quarantined: Readonly<Record<string, string | RegExp>>,
  needles: readonly Needle[] = [],
): Promise<void> {
  const report = env.services.vault.importPackage(file);
  expect(Object.fromEntries(report.quarantined.map((q) => [q.clipId, q.reason]))).toEqual(
    Object.fromEntries(
      Object.entries(quarantined).map(([id, r]) => [id, typeof r === 'string' ? r : expect.stringMatching(r)]),
    ),
  );
  const clips = env.services.vault.listClips(report.batchId);
  for (const c of clips) {
    expect([c.id, c.state]).toEqual([c.id, c.id in quarantined ? 'quarantined' : 'ready']);
    if (c.id in quarantined) {
      expect(serviceError('NOT_FOUND', () => env.services.vault.openClip(report.batchId, c.id))).toMatch(
        /cannot be played/,
      );
    } else {
      expect(env.services.vault.openClip(report.batchId, c.id).audio.length).toBeGreaterThan(0);
    }
  }
  await env.expectSurvived();
  env.expectNothingReadable(needles);
}
