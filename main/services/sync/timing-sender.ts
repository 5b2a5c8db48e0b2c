/** Uploads timing and shift rows after the outbox, oldest write first, marking what the service accepted. */
import { MAX_TIMING_RECORDS_PER_REQUEST } from '../../../shared/sync/protocol';
import type { SyncHttp } from './sync-http';
import { toTimingRecord, type TimingUploadSource } from './timing-records';

export type TimingDrainDeps = {
  readonly http: Pick<SyncHttp, 'uploadTiming'>;
  readonly timing: TimingUploadSource;
  readonly deviceKeyId: string;
};

/** Sends until nothing is pending or a request fails (the failure propagates); returns rows delivered. */
export async function drainTiming(d: TimingDrainDeps, token: string): Promise<number> {
  let delivered = 0;
  for (;;) {
    const rows = d.timing.pendingUpload(MAX_TIMING_RECORDS_PER_REQUEST);
    if (rows.length === 0) {
      return delivered;
    }
    const records = rows.map((r) => ({ seq: r.seq, record: toTimingRecord(d.deviceKeyId, r) }));
    const { accepted } = await d.http.uploadTiming(
      token,
      records.map((r) => r.record),
    );
    const ok = new Set(accepted);
    const seqs = records.filter((r) => ok.has(r.record.id)).map((r) => r.seq);
    if (seqs.length === 0) {
      return delivered;
    }
    d.timing.markUploaded(seqs);
    delivered += seqs.length;
  }
}
