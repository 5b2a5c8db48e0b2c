/**
 * Uploads timing and shift rows after the outbox, oldest write first, marking what the service
 * settled: rows it accepted, and rows it refused for good (times that cannot be right), which
 * sending again would never change. A row refused for being ahead of the service's clock, or
 * past the account's daily room, stays pending and goes again next cycle. A refusal is logged
 * with its count and first reason.
 */
import { MAX_TIMING_RECORDS_PER_REQUEST } from '../../../shared/sync/protocol';
import type { Logger } from '../../log/logger';
import type { SyncHttp } from './sync-http';
import { toTimingRecord, type TimingUploadSource } from './timing-records';

export type TimingDrainDeps = {
  readonly http: Pick<SyncHttp, 'uploadTiming'>;
  readonly timing: TimingUploadSource;
  readonly deviceKeyId: string;
  readonly logger?: Pick<Logger, 'warn'> | undefined;
};

/**
 * Sends `author`'s rows (the reviewer whose session `token` is: the service files them under that
 * account) until nothing is pending or a request fails (the failure propagates); returns rows
 * settled (accepted or refused).
 */
export async function drainTiming(d: TimingDrainDeps, token: string, author: string): Promise<number> {
  let delivered = 0;
  for (;;) {
    const rows = d.timing.pendingUpload(MAX_TIMING_RECORDS_PER_REQUEST, author);
    if (rows.length === 0) {
      return delivered;
    }
    const records = rows.map((r) => ({ seq: r.seq, record: toTimingRecord(d.deviceKeyId, r) }));
    const { accepted, refused } = await d.http.uploadTiming(
      token,
      records.map((r) => r.record),
    );
    if (refused.length > 0) {
      d.logger?.warn('sync: the service refused timing records', {
        refused: refused.length,
        code: refused[0]?.code ?? null,
        message: refused[0]?.message ?? null,
      });
    }
    const settled = new Set([...accepted, ...refused.filter((r) => r.code === 'implausible_time').map((r) => r.id)]);
    const seqs = records.filter((r) => settled.has(r.record.id)).map((r) => r.seq);
    if (seqs.length === 0) {
      return delivered;
    }
    d.timing.markUploaded(seqs);
    delivered += seqs.length;
  }
}
