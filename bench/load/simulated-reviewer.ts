/**
 * One simulated reviewer over the client's own HTTP client (main/services/sync/sync-http.ts):
 * signs in as a workstation does (password, one-time code, the device's signature over the
 * challenge), enrols its approved key, checks its batch out, then submits clips on a schedule.
 * Each submit runs what a sync cycle sends after saved work: batch status, the service's figures
 * for this device, the pending annotations (an amendment among them now and then), escalations,
 * timing rows, audit events. A failed request leaves its work pending for the next cycle, as the
 * outbox does.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_OPS_PER_REQUEST, MAX_TIMING_RECORDS_PER_REQUEST, type OpKind } from '../../shared/sync/protocol';
import type { AnnotationOp, AuditOp, BulkResponse, EscalationOp, TimingRecord } from '../../shared/sync/messages';
import { newTimeNonce } from '../../main/services/sync/service-time';
import { SyncHttpError, type SyncHttp } from '../../main/services/sync/sync-http';
import { deviceEnrolment, signedSignIn } from '../../main/services/sync/sync-steps';
import { totpCode } from '../../service/auth';
import type { LoadReviewer } from './prepare';
import type { Recorder } from './recorder';
import { annotationOp, auditOp, escalationOp, timingSource, type Held } from './work';

/** The pseudo-route a whole submit cycle is recorded under. */
export const CYCLE_ROUTE = '(submit cycle)';

export type Schedule = {
  /** Milliseconds between two clips. */
  readonly intervalMs: number;
  /** When the steady phase ends (Date.now() time). */
  readonly until: number;
  readonly escalateEvery: number;
  readonly amendEvery: number;
};

/** Tries of a sign-in or checkout step that found no service there (a reset connection), as the app retries. */
const NETWORK_TRIES = 3;

/** Runs `step` again when the service could not be reached; each failure is in the recorder already. */
async function retried<T>(step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      if (!(error instanceof SyncHttpError && error.failure === 'network') || attempt >= NETWORK_TRIES) {
        throw error;
      }
    }
  }
}

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

export function createSimulatedReviewer(r: LoadReviewer, http: SyncHttp, rec: Recorder) {
  let token = '';
  const pending = {
    annotation: [] as AnnotationOp[],
    escalation: [] as EscalationOp[],
    audit: [] as AuditOp[],
    timing: [] as TimingRecord[],
  };
  /** The latest revision of each clip saved here (the base of its next amendment). */
  const current = new Map<string, Held>();
  /** Ops the service said it holds: stored, or a duplicate of one whose first answer was lost. */
  const held = new Set<string>();
  const timing = timingSource(r.device.keyId, r.pseudonym, Date.now());
  let submitted = 0;

  /** Sends a queue oldest first, 100 ops a request, and takes out every op the service answered for. */
  const drain = async <T extends { readonly opId: string }>(
    kind: OpKind,
    queue: T[],
    send: (ops: T[]) => Promise<BulkResponse>,
  ): Promise<void> => {
    for (const ops of chunks(queue, MAX_OPS_PER_REQUEST)) {
      const { results } = await send(ops);
      results.forEach((x) => {
        rec.op(kind, x.code);
        if (x.code === 'stored' || x.code === 'duplicate') {
          held.add(x.opId);
        }
      });
      if (results.length !== ops.length) {
        rec.op(kind, 'unanswered', ops.length - results.length);
      }
      const answered = new Set(results.map((x) => x.opId));
      queue.splice(0, queue.length, ...queue.filter((op) => !answered.has(op.opId)));
    }
  };

  const uploadTiming = async (): Promise<void> => {
    for (const records of chunks(pending.timing, MAX_TIMING_RECORDS_PER_REQUEST)) {
      const { accepted } = await http.uploadTiming(token, records);
      rec.op('timing', 'accepted', accepted.length);
      const done = new Set(accepted);
      pending.timing = pending.timing.filter((x) => !done.has(x.id));
    }
  };

  /** One sync cycle; a failed request ends it (its figures are in the recorder) and keeps the work. */
  const cycle = async (): Promise<void> => {
    const start = performance.now();
    try {
      // The list carries this device's op figures, which the workstation checks for losses.
      await http.batches(token, newTimeNonce());
      await drain('annotation', pending.annotation, (ops) => http.upload(token, 'annotation', ops));
      await drain('escalation', pending.escalation, (ops) => http.upload(token, 'escalation', ops));
      await uploadTiming();
      await drain('audit', pending.audit, (ops) => http.upload(token, 'audit', ops));
      rec.request(CYCLE_ROUTE, performance.now() - start, 200, null);
    } catch (error) {
      const code = error instanceof SyncHttpError ? `${error.failure} ${error.code ?? ''}`.trim() : 'error';
      rec.request(CYCLE_ROUTE, performance.now() - start, 0, code);
    }
  };

  const submit = (clipId: string, at: number, escalate: boolean): void => {
    const op = annotationOp(r.batchId, clipId, current.get(clipId), at);
    pending.annotation.push(op);
    current.set(clipId, { revision: op.revision, opId: op.opId });
    pending.timing.push(...timing.clip(r.batchId, clipId, op.revision, at, escalate));
  };

  return {
    account: r.account,
    /** Challenge, sign-in, enrolment of the approved key, the service's key: what the app does at sign-in. */
    async signIn(): Promise<void> {
      token = await retried(async () => {
        const { challenge } = await http.challenge();
        const credentials = { account: r.account, password: r.password, totp: totpCode(r.totpSecret, Date.now()) };
        return (await http.signIn(signedSignIn(r.device, credentials, challenge))).token;
      });
      await retried(() => http.enrol(token, deviceEnrolment(r.device)));
      await retried(() => http.serviceKey());
      pending.audit.push(auditOp('signed_in', Date.now()));
    },
    /** Batch status, then the package for this device; the audit events go up with the first cycle. */
    async checkout(): Promise<number> {
      const { batches } = await retried(() => http.batches(token, newTimeNonce()));
      if (!batches.some((b) => b.batchId === r.batchId && b.status === 'active')) {
        throw new Error(`${r.account}: batch ${r.batchId} is not listed as active.`);
      }
      const bytes = await retried(() => http.checkout(token, r.batchId, r.device.keyId));
      pending.audit.push(auditOp('batch_checked_out', Date.now(), r.batchId));
      return bytes.length;
    },
    /** Submits clips at the schedule's pace, starting `phaseMs` in, until time is up or the batch is done. */
    async steady(s: Schedule, startAt: number, phaseMs: number): Promise<void> {
      for (const [i, clipId] of r.clipIds.entries()) {
        const due = startAt + phaseMs + i * s.intervalMs;
        if (due >= s.until) {
          return;
        }
        if (due > Date.now()) {
          await sleep(due - Date.now());
        }
        const at = Date.now();
        rec.lag(at - due);
        submitted += 1;
        const escalate = submitted % s.escalateEvery === 0;
        submit(clipId, at, escalate);
        if (submitted % s.amendEvery === 0) {
          submit(r.clipIds[Math.max(0, i - 1)] ?? clipId, at, false);
        }
        if (escalate) {
          pending.escalation.push(escalationOp(r.batchId, clipId, at));
        }
        await cycle();
      }
    },
    /** Sends what is still pending, then asks the service how many of this device's ops it holds. */
    async verify(): Promise<{ readonly held: number; readonly answered: number; readonly pending: number }> {
      if (Object.values(pending).some((list) => list.length > 0)) {
        await cycle();
      }
      const { count } = await http.deviceOps(token);
      const left = Object.values(pending).reduce((n, list) => n + list.length, 0);
      return { held: count, answered: held.size, pending: left };
    },
    submitted: (): number => submitted,
  };
}

export type SimulatedReviewer = ReturnType<typeof createSimulatedReviewer>;
