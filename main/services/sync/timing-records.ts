/**
 * Timing and shift rows as the protocol carries them: flat records of numbers, short strings
 * and ids under a stable id, so the service can deduplicate a row it already holds.
 */
import type { TimingRecord } from '../../../shared/sync/messages';

/** What a timing source offers the sender: rows in write order, each named by its `seq`. */
export type TimingUploadSource = {
  pendingUpload(limit: number): readonly ({ readonly seq: number; readonly kind: string } & Record<string, unknown>)[];
  markUploaded(seqs: readonly number[]): unknown;
};

const KEY = /^[a-zA-Z][a-zA-Z0-9_]{0,31}$/;
const MAX_VALUES = 32;

type Value = number | string | boolean | null;

function flatten(source: Record<string, unknown>, into: Record<string, Value>, depth: number): void {
  for (const [key, value] of Object.entries(source)) {
    if (Object.keys(into).length >= MAX_VALUES || !KEY.test(key)) {
      continue;
    }
    if (value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      into[key] = value;
    } else if (typeof value === 'string' && value.length <= 128) {
      into[key] = value;
    } else if (value && typeof value === 'object' && !Array.isArray(value) && depth > 0) {
      flatten(value as Record<string, unknown>, into, depth - 1);
    }
  }
}

/**
 * One row version as a record. The id joins the device key id and the row's sync seq, so it is
 * unique per workstation and a changed row (a new seq) is a new record.
 */
export function toTimingRecord(
  deviceKeyId: string,
  upload: { readonly seq: number; readonly kind: string } & Record<string, unknown>,
): TimingRecord {
  const { seq, kind, ...rest } = upload;
  const values: Record<string, Value> = {};
  flatten(rest, values, 1);
  return { id: `${deviceKeyId}-${seq}`, kind: /^[a-z][a-z0-9_]{0,31}$/.test(kind) ? kind : 'other', values };
}
