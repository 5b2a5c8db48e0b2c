/**
 * The timing sender against a recording fake of the service: a cycle's rows go up in as few
 * requests as the protocol allows, and only rows the service accepted are marked delivered.
 */
import { describe, expect, it } from 'vitest';
import type { TimingUpload } from '../../../../main/db/repositories/timing-outbox.repository';
import type { SyncHttp } from '../../../../main/services/sync/sync-http';
import { drainTiming } from '../../../../main/services/sync/timing-sender';
import type { TimingRecord } from '../../../../shared/sync/messages';
import { MAX_TIMING_RECORDS_PER_REQUEST } from '../../../../shared/sync/protocol';

const KEY_ID = 'k'.repeat(16);

const eventRow = (seq: number): TimingUpload => ({
  seq,
  kind: 'event',
  event: {
    id: seq,
    epoch: 'e-1',
    seq,
    kind: 'play',
    t: seq,
    at: 1_800_000_000_000 + seq,
    shiftId: null,
    batchId: 'b-AAAAAAAAAAAA0001',
    clipId: 'c-AAAAAAAAAAAA0001',
    positionMs: 0,
    value: null,
    label: null,
  },
});

/** A timing source of `n` rows that remembers what was marked. */
function source(n: number) {
  let rows = Array.from({ length: n }, (_, i) => eventRow(i + 1));
  const marked: number[] = [];
  return {
    marked,
    pendingUpload: (limit: number) => rows.slice(0, limit),
    markUploaded: (seqs: readonly number[]) => {
      marked.push(...seqs);
      rows = rows.filter((r) => !seqs.includes(r.seq));
    },
  };
}

/**
 * An http whose timing upload records each request and accepts all but `unsettled` (left out of
 * its answer, as after a failure to store), `implausible` (refused for good) and `later` (refused
 * for now, with their codes).
 */
function recordingHttp(
  unsettled: ReadonlySet<string> = new Set(),
  implausible: ReadonlySet<string> = new Set(),
  later: ReadonlyMap<string, 'ahead_of_service' | 'over_daily_limit'> = new Map(),
) {
  const requests: TimingRecord[][] = [];
  const http = {
    uploadTiming: (_token: string, records: readonly TimingRecord[]) => {
      requests.push([...records]);
      const ids = records.map((r) => r.id);
      return Promise.resolve({
        accepted: ids.filter((id) => !unsettled.has(id) && !implausible.has(id) && !later.has(id)),
        refused: [
          ...ids
            .filter((id) => implausible.has(id))
            .map((id) => ({ id, code: 'implausible_time' as const, message: `Record ${id} is not plausible.` })),
          ...ids.flatMap((id) => {
            const code = later.get(id);
            return code ? [{ id, code, message: `Record ${id} waits (${code}).` }] : [];
          }),
        ],
      });
    },
  } satisfies Pick<SyncHttp, 'uploadTiming'>;
  return { http, requests };
}

describe('drainTiming', () => {
  it('sends a cycle of more rows than a bulk op request in one request', async () => {
    const timing = source(250);
    const { http, requests } = recordingHttp();
    const delivered = await drainTiming({ http, timing, deviceKeyId: KEY_ID }, 'token', 'rv-1');
    expect(delivered).toBe(250);
    expect(requests.map((r) => r.length)).toEqual([250]);
    expect(timing.marked).toHaveLength(250);
  });

  it('splits only above the protocol limit, oldest rows first', async () => {
    const timing = source(MAX_TIMING_RECORDS_PER_REQUEST + 5);
    const { http, requests } = recordingHttp();
    await drainTiming({ http, timing, deviceKeyId: KEY_ID }, 'token', 'rv-1');
    expect(requests.map((r) => r.length)).toEqual([MAX_TIMING_RECORDS_PER_REQUEST, 5]);
    expect(requests[0]?.[0]?.id).toBe(`${KEY_ID}-1`);
  });

  it('marks only what the service accepted, and stops when a request settles nothing', async () => {
    const timing = source(3);
    const { http, requests } = recordingHttp(new Set([`${KEY_ID}-2`]));
    await drainTiming({ http, timing, deviceKeyId: KEY_ID }, 'token', 'rv-1');
    expect(timing.marked).toEqual([1, 3]);
    // The refused row stays pending for the next cycle: asked once more, then left, not looped on.
    expect(requests).toHaveLength(2);
    expect(requests[1]?.map((r) => r.id)).toEqual([`${KEY_ID}-2`]);
  });

  it('settles a record the service refused, so it is never sent again, and logs the refusal', async () => {
    const timing = source(3);
    const { http, requests } = recordingHttp(new Set(), new Set([`${KEY_ID}-2`]));
    const warnings: unknown[] = [];
    const logger = { warn: (message: string, fields?: unknown) => warnings.push([message, fields]) };
    expect(await drainTiming({ http, timing, deviceKeyId: KEY_ID, logger }, 'token', 'rv-1')).toBe(3);
    expect(timing.marked).toEqual([1, 2, 3]);
    expect(requests).toHaveLength(1);
    expect(warnings).toEqual([
      [
        'sync: the service refused timing records',
        { refused: 1, code: 'implausible_time', message: `Record ${KEY_ID}-2 is not plausible.` },
      ],
    ]);
  });

  it.each(['ahead_of_service', 'over_daily_limit'] as const)(
    'keeps a record refused with %s, to send it again next cycle',
    async (code) => {
      const timing = source(3);
      const { http } = recordingHttp(new Set(), new Set(), new Map([[`${KEY_ID}-2`, code]]));
      await drainTiming({ http, timing, deviceKeyId: KEY_ID }, 'token', 'rv-1');
      expect(timing.marked).toEqual([1, 3]);
      expect(timing.pendingUpload(10).map((r) => r.seq)).toEqual([2]);
    },
  );
});
