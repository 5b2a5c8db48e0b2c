/**
 * The crash test's bookkeeping: what the child's acknowledgement log says must be on disk, what
 * is on disk after a restart, and the checks between the two.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Services } from '../../main/services';
import type { Disposition, EscalationCategory } from '../../shared/domain/annotation';
import { queryDb } from '../support/services';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CRASH_BATCH_ID,
  CRASH_CLIPS,
  SERVED_FILE,
  SIDE_PREFIX,
  type ChildLine,
  type Op,
  type ServedLine,
} from './protocol';

export type Revision = { revision: number; opId: string; text: string; disposition: Disposition; critical: boolean };
export type StoredDraft = { basedOn: number; text: string | null };
export type Escalation = { id: string; clipId: string; category: EscalationCategory };

/** The durable state of the shift: the model from the log, or what a restart finds. */
export type ShiftState = {
  batches: string[];
  position: string | null;
  revisions: Record<string, Revision[]>;
  drafts: Record<string, StoredDraft>;
  escalations: Escalation[];
};

export const emptyState = (): ShiftState => ({
  batches: [],
  position: null,
  revisions: {},
  drafts: {},
  escalations: [],
});

type Ack = Extract<ChildLine, { kind: 'ack' }>;
type Begin = Extract<ChildLine, { kind: 'begin' }>;
export type Acknowledged = { readonly op: Op; readonly ack: Ack };

/** One child's log, split into acknowledged operations and the one (if any) still in flight. */
export type RoundLog = {
  readonly ready: Extract<ChildLine, { kind: 'ready' }> | undefined;
  readonly acknowledged: readonly Acknowledged[];
  readonly inFlight: Op | undefined;
  /** Where the child killed itself, when it had a kill point and reached it. */
  readonly kill: Extract<ChildLine, { kind: 'kill' }> | undefined;
};

/** Reads complete lines only: a line cut by the kill was never acknowledged. */
export function parseLog(stdout: string): RoundLog {
  const lines = stdout
    .split('\n')
    .slice(0, -1)
    .map((l) => JSON.parse(l) as ChildLine);
  const acknowledged: Acknowledged[] = [];
  let open: Begin | undefined;
  let ready: RoundLog['ready'];
  let kill: RoundLog['kill'];
  for (const line of lines) {
    if (line.kind === 'ready') {
      ready = line;
    } else if (line.kind === 'kill') {
      kill = line;
    } else if (line.kind === 'begin') {
      if (open) {
        throw new Error(`Operation ${open.seq} began but was never acknowledged before ${line.seq} began.`);
      }
      open = line;
    } else {
      if (open?.seq !== line.seq || open.op.type !== line.op) {
        throw new Error(`Acknowledgement ${line.seq} matches no open operation.`);
      }
      acknowledged.push({ op: open.op, ack: line });
      open = undefined;
    }
  }
  return { ready, acknowledged, inFlight: open?.op, kill };
}

const clone = (s: ShiftState): ShiftState => structuredClone(s);

/**
 * The state after `op`. Ids the service makes (a revision's op id, an escalation's id) come from
 * its acknowledgement, or for an operation in flight from `found`, the state read back.
 */
export function apply(state: ShiftState, op: Op, ack: Ack | undefined, found?: ShiftState): ShiftState {
  const next = clone(state);
  switch (op.type) {
    case 'import':
      next.batches = [CRASH_BATCH_ID];
      break;
    case 'position':
      next.position = op.clipId;
      break;
    case 'draft':
      next.drafts[op.clipId] = { basedOn: op.basedOn, text: op.text };
      break;
    case 'submit': {
      const revision = op.basedOn + 1;
      const opId = ack?.opId ?? found?.revisions[op.clipId]?.find((r) => r.revision === revision)?.opId ?? '(missing)';
      next.revisions[op.clipId] = [
        ...(next.revisions[op.clipId] ?? []),
        { revision, opId, text: op.text, disposition: op.disposition, critical: op.critical },
      ];
      const { [op.clipId]: _submitted, ...drafts } = next.drafts;
      next.drafts = drafts;
      break;
    }
    case 'timing':
    case 'lock':
    case 'send':
    case 'side':
    case 'erase':
      // Checked on their own (timing, sideProblems, sendProblems, the unlock after the restart).
      break;
    case 'escalate': {
      const known = new Set(state.escalations.map((e) => e.id));
      const id = ack?.id ?? found?.escalations.find((e) => !known.has(e.id))?.id ?? '(missing)';
      next.escalations = [...next.escalations, { id, clipId: op.clipId, category: op.category }].sort((a, b) =>
        a.id.localeCompare(b.id),
      );
      break;
    }
  }
  return next;
}

/** What a restart finds, read through the services (and SQL where they keep no public reader). */
export function readState(services: Services, dataDir: string): ShiftState {
  const state = emptyState();
  state.batches = services.batches
    .list()
    .map((b) => b.id)
    .filter((id) => id === CRASH_BATCH_ID);
  if (!state.batches.includes(CRASH_BATCH_ID)) {
    return state;
  }
  const { annotations } = services;
  state.position = annotations.state(CRASH_BATCH_ID).currentClipId;
  const draftRows = queryDb<{ clip_id: string; based_on_revision: number }>(
    dataDir,
    'SELECT clip_id, based_on_revision FROM drafts WHERE batch_id = ? ORDER BY clip_id',
    CRASH_BATCH_ID,
  );
  for (const clipId of CRASH_CLIPS) {
    const history = annotations.history(CRASH_BATCH_ID, clipId);
    if (history.length > 0) {
      state.revisions[clipId] = history.map((a) => ({
        revision: a.revision,
        opId: a.opId,
        text: a.transcript,
        disposition: a.disposition,
        critical: a.critical.length > 0,
      }));
    }
    const row = draftRows.find((r) => r.clip_id === clipId);
    if (row) {
      // work() drops a draft older than the latest revision: then text is null and the check fails.
      state.drafts[clipId] = {
        basedOn: row.based_on_revision,
        text: annotations.work(CRASH_BATCH_ID, clipId).draft?.transcript ?? null,
      };
    }
  }
  // The row names its clip by a keyed reference and seals the category with the note: main opens both.
  state.escalations = queryDb<{ id: string }>(dataDir, 'SELECT id FROM escalations ORDER BY id').map(
    (e): Escalation => {
      const opened = annotations.escalationById(e.id);
      if (!opened) {
        throw new Error(`Escalation ${e.id} is stored but cannot be opened.`);
      }
      return { id: e.id, clipId: opened.clipId, category: opened.category };
    },
  );
  return state;
}

export type Reconciled = { readonly state: ShiftState; readonly inFlightLanded: boolean | undefined };

/**
 * Matches what a restart found against the log: exactly the acknowledged state, or that state
 * plus the one operation in flight (it committed whole or not at all). Anything else throws.
 */
export function reconcile(expected: ShiftState, inFlight: Op | undefined, found: ShiftState): Reconciled {
  if (isDeepStrictEqual(found, expected)) {
    return { state: expected, inFlightLanded: inFlight ? false : undefined };
  }
  const landed = inFlight ? apply(expected, inFlight, undefined, found) : undefined;
  if (landed && isDeepStrictEqual(found, landed)) {
    return { state: landed, inFlightLanded: true };
  }
  throw new Error(
    [
      'After the restart the data matches neither the acknowledged operations nor them plus the one in flight.',
      `in flight: ${JSON.stringify(inFlight ?? null)}`,
      `expected:  ${JSON.stringify(expected)}`,
      landed ? `or:        ${JSON.stringify(landed)}` : '',
      `found:     ${JSON.stringify(found)}`,
    ].join('\n'),
  );
}

/** `PRAGMA integrity_check` and the foreign keys, over a second, read-only connection. */
export function integrityProblems(dataDir: string): string[] {
  const integrity = queryDb<{ integrity_check: string }>(dataDir, 'PRAGMA integrity_check').map(
    (r) => r.integrity_check,
  );
  const foreign = queryDb<Record<string, unknown>>(dataDir, 'PRAGMA foreign_key_check').map(
    (r) => `foreign key: ${JSON.stringify(r)}`,
  );
  return [...(isDeepStrictEqual(integrity, ['ok']) ? [] : integrity), ...foreign];
}

/** Whether revision `a` is synced: an acknowledged op carried it (a resent op under a new op id, too). */
const SYNCED = `EXISTS (SELECT 1 FROM outbox o WHERE o.state = 'acked' AND coalesce(o.source_op_id, o.op_id) = a.op_id)`;

/**
 * The outbox (revisions not yet synced: no acknowledged op carried them): per clip the revisions run 1..n
 * with no gap or repeat, every op id is unique, and the batch's done count agrees.
 */
export function outboxProblems(dataDir: string): string[] {
  const rows = queryDb<{ batch_id: string; clip_id: string; revision: number; op_id: string; synced: number }>(
    dataDir,
    `SELECT batch_id, clip_id, revision, op_id, ${SYNCED} AS synced FROM annotations a ORDER BY batch_id, clip_id, revision`,
  );
  const problems: string[] = [];
  const perClip = new Map<string, { revision: number; synced: number }[]>();
  for (const r of rows) {
    const key = `${r.batch_id}/${r.clip_id}`;
    perClip.set(key, [...(perClip.get(key) ?? []), r]);
  }
  for (const [key, list] of perClip) {
    const revisions = list.map((r) => r.revision);
    if (
      !isDeepStrictEqual(
        revisions,
        revisions.map((_, i) => i + 1),
      )
    ) {
      problems.push(`${key}: revisions ${revisions.join(',')} are not 1..${revisions.length}`);
    }
    // The outbox goes up oldest first: what is synced is a leading run.
    const firstUnsynced = list.findIndex((r) => r.synced === 0);
    if (firstUnsynced !== -1 && list.slice(firstUnsynced).some((r) => r.synced === 1)) {
      problems.push(`${key}: a revision is synced after one that is not`);
    }
  }
  const opIds = rows.map((r) => r.op_id);
  if (new Set(opIds).size !== opIds.length) {
    problems.push('an op id appears twice in the outbox');
  }
  const done = queryDb<{ id: string; done_count: number; clips: number }>(
    dataDir,
    'SELECT b.id, b.done_count, (SELECT count(DISTINCT clip_id) FROM annotations a WHERE a.batch_id = b.id) AS clips FROM batches b',
  );
  done
    .filter((b) => b.done_count !== b.clips)
    .forEach((b) => problems.push(`batch ${b.id}: done_count ${b.done_count}, but ${b.clips} clips are submitted`));
  return problems;
}

/**
 * Timing: every event main acknowledged is stored, and every revision has exactly one metrics
 * row (they are written in one transaction), whatever the kill interrupted.
 */
export function timingProblems(
  dataDir: string,
  acknowledged: readonly { readonly epoch: string; readonly seqs: readonly number[] }[],
): string[] {
  const stored = new Set(
    queryDb<{ key: string }>(dataDir, "SELECT epoch || ':' || seq AS key FROM timing_events").map((r) => r.key),
  );
  const problems = acknowledged.flatMap((a) =>
    a.seqs
      .filter((s) => !stored.has(`${a.epoch}:${s}`))
      .map((s) => `timing event ${a.epoch}:${s} was acknowledged but is gone`),
  );
  const unmatched = queryDb<{ side: string; clip_id: string; revision: number }>(
    dataDir,
    `SELECT 'annotation' AS side, a.clip_id, a.revision FROM annotations a
       LEFT JOIN clip_metrics m ON m.batch_id = a.batch_id AND m.clip_id = a.clip_id AND m.revision = a.revision WHERE m.revision IS NULL
     UNION ALL
     SELECT 'metrics' AS side, m.clip_id, m.revision FROM clip_metrics m
       LEFT JOIN annotations a ON m.batch_id = a.batch_id AND m.clip_id = a.clip_id AND m.revision = a.revision WHERE a.revision IS NULL`,
  );
  return [...problems, ...unmatched.map((u) => `${u.side} ${u.clip_id} revision ${u.revision} has no partner row`)];
}

/** Rows holding `opId`, straight from SQL: an acknowledged save must be there exactly once. */
export const opIdCount = (dataDir: string, opId: string): number =>
  queryDb<{ n: number }>(dataDir, 'SELECT count(*) AS n FROM annotations WHERE op_id = ?', opId)[0]?.n ?? 0;

/**
 * How many revision rows hold each of `opIds`, in one query: a round checks every revision of
 * the shift so far, and a connection per revision made each round slower than the last.
 */
export function opIdCounts(dataDir: string, opIds: readonly string[]): Map<string, number> {
  const rows = queryDb<{ op_id: string; n: number }>(
    dataDir,
    'SELECT op_id, count(*) AS n FROM annotations WHERE op_id IN (SELECT value FROM json_each(?)) GROUP BY op_id',
    JSON.stringify(opIds),
  );
  return new Map(opIds.map((id) => [id, rows.find((r) => r.op_id === id)?.n ?? 0]));
}

/**
 * The draft rule: typing on the clip being edited when the kill came may lose at most its last
 * 300 ms. The reference is the newest draft of that clip and revision acknowledged at least
 * `graceMs` before the kill; the restart must hold its text, as the draft or as the revision a
 * submit made of it. Returns a problem, or undefined, and `lostMs`: how much acknowledged typing
 * went missing.
 */
export function draftLoss(
  log: RoundLog,
  killedAt: number,
  found: ShiftState,
  graceMs = 300,
): { problem: string | undefined; lostMs: number } {
  const drafts = log.acknowledged.filter(
    (a): a is Acknowledged & { op: Extract<Op, { type: 'draft' }> } => a.op.type === 'draft',
  );
  const last = drafts.at(-1);
  if (!last) {
    return { problem: undefined, lostMs: 0 };
  }
  const { clipId, basedOn } = last.op;
  const generation = drafts.filter((d) => d.op.clipId === clipId && d.op.basedOn === basedOn);
  const kept = (text: string): boolean =>
    (found.drafts[clipId]?.basedOn === basedOn && (found.drafts[clipId].text ?? '').startsWith(text)) ||
    (found.revisions[clipId]?.find((r) => r.revision === basedOn + 1)?.text ?? '').startsWith(text);
  const newestKept = [...generation].reverse().find((d) => kept(d.op.text));
  // Acknowledged typing that did not survive: from the newest kept keystroke to the newest acknowledged one.
  const lostMs = last.ack.t - (newestKept?.ack.t ?? generation[0]?.ack.t ?? last.ack.t);
  const reference = [...generation].reverse().find((d) => d.ack.t <= killedAt - graceMs);
  if (reference && !kept(reference.op.text)) {
    return {
      problem: `clip ${clipId}: the draft acknowledged ${killedAt - reference.ack.t} ms before the kill (${reference.op.text.length} characters) is gone`,
      lostMs,
    };
  }
  return { problem: undefined, lostMs };
}

/**
 * The side batches, each erased all or nothing: either active with its key and every clip's
 * audio, or ended with neither key nor clip rows. One whose erase was acknowledged is ended;
 * the revision acknowledged on one is there exactly once, erased or not.
 */
export function sideProblems(
  dataDir: string,
  acknowledged: { readonly sides: ReadonlyMap<string, string>; readonly erased: ReadonlySet<string> },
): string[] {
  const rows = queryDb<{ id: string; status: string; keys: number; clips: number; audio: number }>(
    dataDir,
    `SELECT b.id, b.status, (SELECT count(*) FROM batch_keys k WHERE k.batch_id = b.id) AS keys,
       (SELECT count(*) FROM clips c WHERE c.batch_id = b.id) AS clips,
       (SELECT count(*) FROM clips c WHERE c.batch_id = b.id AND c.audio IS NOT NULL) AS audio
     FROM batches b WHERE b.id LIKE ? AND b.staged = 0`,
    `${SIDE_PREFIX}%`,
  );
  const problems: string[] = [];
  for (const r of rows) {
    const whole = r.status === 'active' ? r.keys === 1 && r.audio === r.clips && r.clips > 0 : r.keys + r.clips === 0;
    if (!whole) {
      problems.push(`${r.id}: ${r.status} with ${r.keys} keys, ${r.clips} clip rows, ${r.audio} with audio`);
    }
  }
  for (const id of acknowledged.erased) {
    if (rows.find((r) => r.id === id)?.status !== 'revoked') {
      problems.push(`${id}: its erase was acknowledged, but it is not erased`);
    }
  }
  for (const [id, opId] of acknowledged.sides) {
    if (opIdCount(dataDir, opId) !== 1) {
      problems.push(`${id}: the acknowledged revision ${opId} is held ${opIdCount(dataDir, opId)} times`);
    }
  }
  return problems;
}

/** What the stand-in service stored: every line of the served file. */
export function servedLines(workDir: string): ServedLine[] {
  const file = join(workDir, SERVED_FILE);
  return existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as ServedLine)
    : [];
}

/**
 * Sending and settling: nothing is marked acknowledged that the service did not store, an
 * acknowledged resend carries a revision of its own clip that is still here, and no process
 * sends an op twice (a resend is only for an answer a kill cut off before it was settled).
 */
export function sendProblems(dataDir: string, served: readonly ServedLine[]): string[] {
  const stored = new Set(served.map((l) => l.opId));
  const problems: string[] = [];
  const acked = queryDb<{ op_id: string; source: string | null }>(
    dataDir,
    "SELECT op_id, source_op_id AS source FROM outbox WHERE state = 'acked'",
  );
  acked
    .filter((r) => !stored.has(r.op_id))
    .forEach((r) => problems.push(`outbox op ${r.op_id} is acknowledged, but the service never stored it`));
  queryDb<{ op_id: string }>(
    dataDir,
    `SELECT o.op_id FROM outbox o WHERE o.state = 'acked' AND o.source_op_id IS NOT NULL AND NOT EXISTS (
       SELECT 1 FROM annotations a WHERE a.op_id = o.source_op_id AND a.batch_id = o.batch_id AND a.clip_id = o.clip_id)`,
  ).forEach((r) => problems.push(`resent op ${r.op_id} is acknowledged, but carries no revision of its clip`));
  const seen = new Set<string>();
  for (const l of served) {
    const key = `${l.pid}:${l.opId}`;
    if (seen.has(key)) {
      problems.push(`op ${l.opId} was sent twice by one process`);
    }
    seen.add(key);
  }
  return problems;
}
