/**
 * Gold clips for service tests: seeding them as an operator would, batches of plain clips to mix
 * them into, and a look at a package as an insider holding the device key sees it (the raw JSON
 * of its readable header and of its decrypted details, key order and all).
 */
import { aad, open } from '../../core/crypto/aead';
import { decodeSealedPart } from '../../core/crypto/codec';
import type { DeviceKey } from '../../core/crypto/device-key';
import { readPackage } from '../../core/package/package-reader';
import type { ClipDetails } from '../../shared/batch-package/manifest';
import { HEADER_TAG_BYTES, PREAMBLE_BYTES } from '../../shared/batch-package/limits';
import type { Disposition } from '../../shared/domain/annotation';
import { CLI_SOURCE } from '../../service/audit';
import type { Core } from '../../service/core';
import { addGoldClip, mixGoldClips } from '../../service/gold';
import { addBatch, DEMO_REVIEWER } from '../../service/seed';
import { silenceWav } from './packages';

export const GOLD_OPERATOR = { operator: 'tests', source: CLI_SOURCE };

/** The shape every new clip id has: `c-` and 16 Crockford base-32 characters. */
export const OPAQUE_CLIP_ID = /^c-[0-9A-HJKMNP-TV-Z]{16}$/;

/** Seeds a gold clip of 300 ms of silence; returns its id. */
export function seedGold(
  core: Core,
  g: { reference: string; disposition?: Disposition; asrText?: string },
): Promise<string> {
  return addGoldClip(core, GOLD_OPERATOR, {
    audio: silenceWav(300),
    asrText: g.asrText ?? 'play something',
    reference: g.reference,
    disposition: g.disposition ?? 'transcribed',
    locale: 'en-US',
  });
}

/** Adds a batch of `count` plain clips for the demo reviewer, ids `c-AAAAAAAAAAAA0001`…; returns their ids. */
export async function addPlainBatch(core: Core, batchId: string, count: number): Promise<string[]> {
  const audio = silenceWav(300);
  const clips = Array.from({ length: count }, (_, i) => {
    // Details as a clip list gives them (pack-from-folder's order), not the schema's.
    const details: ClipDetails = {
      id: `c-AAAAAAAAAAAA${String(i + 1).padStart(4, '0')}`,
      asrText: `clip ${i + 1}`,
      consent: 'granted',
      durationMs: 300,
      codec: 'wav',
    };
    return { details, audio };
  });
  await addBatch(core, { batchId, assignedTo: DEMO_REVIEWER.account, clips });
  return clips.map((c) => c.details.id);
}

/** Mixes gold clips into a batch as the operator `tests`; returns the clip ids they got. */
export const mixGold = (core: Core, batchId: string, goldIds: readonly string[]): Promise<string[]> =>
  mixGoldClips(core, GOLD_OPERATOR, batchId, goldIds);

/** A package as an insider with the device key sees it: raw header and details JSON. */
export type RawPackage = { readonly header: unknown; readonly details: unknown; readonly detailsText: string };

export function rawPackage(bytes: Buffer, device: DeviceKey, now: number): RawPackage {
  const opened = readPackage(bytes, { device, now }, { onClip: () => undefined });
  try {
    const headerLength = bytes.readUInt32BE(8);
    const headerText = bytes.toString('utf8', PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength);
    const at = PREAMBLE_BYTES + headerLength + HEADER_TAG_BYTES;
    const part = opened.header.details;
    const sealed = decodeSealedPart(part, bytes.subarray(at, at + part.size));
    const detailsText = open(opened.batchKey, sealed, aad('details', opened.header.batchId)).toString('utf8');
    return { header: JSON.parse(headerText) as unknown, details: JSON.parse(detailsText) as unknown, detailsText };
  } finally {
    opened.batchKey.fill(0);
  }
}

/** The shape of a JSON value: its keys in order, with each value's shape, and types for leaves. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(shapeOf);
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).map(([k, v]) => [k, shapeOf(v)]);
  }
  return value === null ? 'null' : typeof value;
}
