/**
 * A supervisor's view of their teams' shifts (`GET /v1/team/shifts`): the timing records the
 * team's members uploaded, reduced to the latest version of each shift, clip and break, and
 * summarised with the same code the workstation's report uses. A clip counts only where the
 * service holds its revision from the member, so the figures agree with the workstation's once
 * its work is synced and stored (work parked, refused or not yet sent counts there, not here).
 *
 * Pages are newest first, ordered by (start, shift id, account). The cursor names the last shift
 * of a page and the query it belongs to, so a shift stored meanwhile never moves a later page.
 */
import { z } from 'zod';
import type { BreakInfo, ClipMetrics } from '../shared/domain/timing';
import {
  TEAM_SHIFTS_DEFAULT_LIMIT,
  TEAM_SHIFTS_DEFAULT_WINDOW_MS,
  TEAM_SHIFTS_MAX_WINDOW_MS,
  teamShiftsQuerySchema,
  type TeamShift,
  type TeamShiftsResponse,
} from '../shared/sync/team-shifts';
import { breakValuesSchema, clipValuesSchema, shiftValuesSchema } from '../shared/sync/timing-records';
import { claimsReader, countedClips, revisionKey, type ClaimsOf } from './team-shift-claims';
import { goldFigures, type GoldFigures } from '../shared/timing/gold-figures';
import { shiftEnd, summariseShift } from '../shared/timing/shift-summary';
import { HttpError } from './http';
import type { Repositories, StoredTimingRecord, TeamMember } from './store/repositories';

/** The sync seq a record id ends with (`<device key id>-<seq>`); -1 when it has none. */
const seqOf = (id: string): number => Number(/-(\d{1,15})$/.exec(id)?.[1] ?? -1);

/**
 * The latest version of each row among `records`, by `key` of its values: the highest sync
 * seq, then the one stored last. Values that no longer meet their schema are skipped.
 */
export function latestVersions<T>(
  records: readonly StoredTimingRecord[],
  schema: z.ZodType<T>,
  key: (values: T) => string,
): T[] {
  const best = new Map<string, { seq: number; order: number; values: T }>();
  for (const r of records) {
    const parsed = schema.safeParse(JSON.parse(r.body));
    if (!parsed.success) {
      continue;
    }
    const k = key(parsed.data);
    const seq = seqOf(r.id);
    const held = best.get(k);
    if (!held || seq > held.seq || (seq === held.seq && r.order > held.order)) {
      best.set(k, { seq, order: r.order, values: parsed.data });
    }
  }
  return [...best.values()].map((b) => b.values);
}

/** What the cursor remembers: the query's window and filters, and the last shift given. */
const cursorSchema = z.strictObject({
  from: z.int(),
  to: z.int(),
  reviewer: z.string().nullable(),
  batch: z.string().nullable(),
  startedAt: z.int(),
  shiftId: z.string(),
  account: z.string(),
});
type Cursor = z.infer<typeof cursorSchema>;

const encodeCursor = (c: Cursor): string => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

function decodeCursor(text: string): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new HttpError(400, 'bad_request', 'cursor: not a cursor this service gave out.');
  }
}

/** Reads the query string: one value per parameter, checked by the shared schema. */
export function parseTeamShiftsQuery(search: URLSearchParams): z.output<typeof teamShiftsQuerySchema> {
  const raw: Record<string, string> = {};
  for (const [name, value] of search) {
    if (name in raw) {
      throw new HttpError(400, 'bad_request', `${name}: give it once.`);
    }
    raw[name] = value;
  }
  const parsed = teamShiftsQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'query';
    throw new HttpError(400, 'bad_request', `${where}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** The window and filters of a request: from its cursor when it has one, else from the query. */
function resolveQuery(q: z.output<typeof teamShiftsQuerySchema>, now: number) {
  const reviewer = q.reviewer ?? null;
  const batch = q.batch ?? null;
  if (q.cursor !== undefined) {
    const c = decodeCursor(q.cursor);
    const same =
      c.reviewer === reviewer &&
      c.batch === batch &&
      (q.from === undefined || Date.parse(q.from) === c.from) &&
      (q.to === undefined || Date.parse(q.to) === c.to);
    if (!same) {
      throw new HttpError(400, 'bad_request', 'cursor: it belongs to another query; repeat that query’s filters.');
    }
    // The client hands the cursor back, so its window is checked as a query's would be.
    if (c.from >= c.to || c.to - c.from > TEAM_SHIFTS_MAX_WINDOW_MS) {
      throw new HttpError(400, 'bad_request', 'cursor: not a cursor this service gave out.');
    }
    return { from: c.from, to: c.to, reviewer, batch, after: c };
  }
  const to = q.to !== undefined ? Date.parse(q.to) : now;
  const from = q.from !== undefined ? Date.parse(q.from) : to - TEAM_SHIFTS_DEFAULT_WINDOW_MS;
  if (from >= to) {
    throw new HttpError(400, 'bad_request', 'from: it must be before to.');
  }
  if (to - from > TEAM_SHIFTS_MAX_WINDOW_MS) {
    throw new HttpError(400, 'bad_request', 'from: the window is at most 92 days.');
  }
  return { from, to, reviewer, batch, after: null };
}

type Ordered = { readonly startedAt: number; readonly shiftId: string; readonly account: string };

/** Newest first: by start, then shift id, then account, all descending. */
const newerFirst = (a: Ordered, b: Ordered): number =>
  b.startedAt - a.startedAt ||
  (a.shiftId < b.shiftId ? 1 : a.shiftId > b.shiftId ? -1 : 0) ||
  (a.account < b.account ? 1 : a.account > b.account ? -1 : 0);

/**
 * The gold figures of a shift: each gold clip counts in the shift where its latest scored
 * revision was submitted, so an amendment made later moves it there and nothing counts twice.
 */
async function shiftGold(repos: Repositories, account: string, clips: readonly ClipMetrics[]): Promise<GoldFigures> {
  const made = new Set(clips.map((c) => `${c.batchId}\u0000${c.clipId}\u0000${c.revision}`));
  const batchIds = [...new Set(clips.map((c) => c.batchId))];
  const scores = (await repos.gold.latestScores(account, batchIds)).filter((s) =>
    made.has(`${s.batchId}\u0000${s.clipId}\u0000${s.revision}`),
  );
  return goldFigures(
    scores.map((s) => ({
      referenceWords: s.counts.refWords,
      wordErrors: s.counts.substitutions + s.counts.deletions + s.counts.insertions,
      dispositionAgreed: s.dispositionAgreed,
    })),
  );
}

/** One shift's figures and what its report draws, from its records. */
async function teamShift(
  repos: Repositories,
  claimsOf: ClaimsOf,
  member: TeamMember,
  shift: z.infer<typeof shiftValuesSchema>,
  now: number,
): Promise<TeamShift> {
  const records = await repos.timing.recordsOfShifts(member.account, [shift.id]);
  const clips: ClipMetrics[] = await countedClips(
    claimsOf,
    member.account,
    shift.id,
    latestVersions(
      records.filter((r) => r.kind === 'clip'),
      clipValuesSchema,
      revisionKey,
    ),
  );
  clips.sort((a, b) => a.submittedAt - b.submittedAt);
  const breaks: BreakInfo[] = latestVersions(
    records.filter((r) => r.kind === 'break'),
    breakValuesSchema,
    (b) => b.id,
  ).sort((a, b) => a.startedAt - b.startedAt);
  // The account's own pseudonym, not what the workstation wrote: the service vouches for it.
  const own = { ...shift, pseudonym: member.pseudonym };
  const end = shiftEnd(own, now);
  const escalations = await repos.ops.escalationTimes(member.account, own.startedAt, end);
  const escalationCategories = await repos.ops.escalationCategories(member.account, own.startedAt, end);
  const summary = summariseShift({ shift: own, now, clips, breaks, escalations });
  return {
    summary,
    gold: await shiftGold(repos, member.account, clips),
    clips,
    breaks,
    escalations,
    escalationCategories,
  };
}

/**
 * The shifts (account and shift id) with clip records on `batch`, of the accounts the service
 * holds an annotation on it from: clip records alone are the workstation's word.
 */
async function shiftsWorkedOn(
  repos: Repositories,
  claimsOf: ClaimsOf,
  accounts: readonly string[],
  batch: string,
): Promise<Set<string>> {
  const found = await repos.timing.shiftsWithBatch(accounts, batch);
  const worked = new Set<string>();
  for (const account of new Set(found.map((s) => s.account))) {
    if ((await claimsOf(account, batch)).held.size > 0) {
      worked.add(account);
    }
  }
  return new Set(found.filter((s) => worked.has(s.account)).map((s) => `${s.account}\u0000${s.shiftId}`));
}

/**
 * One page of the shifts of the members of every team `supervisor` supervises.
 * @throws HttpError 400 for a bad query or cursor
 */
export async function teamShifts(
  repos: Repositories,
  supervisor: string,
  search: URLSearchParams,
  now: number,
): Promise<TeamShiftsResponse> {
  const q = parseTeamShiftsQuery(search);
  const { from, to, reviewer, batch, after } = resolveQuery(q, now);
  const limit = q.limit ?? TEAM_SHIFTS_DEFAULT_LIMIT;
  const members = (await repos.teams.supervisedMembers(supervisor)).filter(
    (m) => reviewer === null || m.pseudonym === reviewer,
  );
  const byAccount = new Map(members.map((m) => [m.account, m]));
  const accounts = [...byAccount.keys()];
  const claimsOf = claimsReader(repos);
  const withBatch = batch === null ? null : await shiftsWorkedOn(repos, claimsOf, accounts, batch);
  const recordsByAccount = new Map<string, StoredTimingRecord[]>();
  for (const r of await repos.timing.shiftRecords(accounts, from, to)) {
    recordsByAccount.set(r.account, [...(recordsByAccount.get(r.account) ?? []), r]);
  }
  const shifts = [...recordsByAccount]
    .flatMap(([account, records]) =>
      latestVersions(records, shiftValuesSchema, (s) => s.id).map((values) => ({
        account,
        shiftId: values.id,
        startedAt: values.startedAt,
        values,
      })),
    )
    .filter((s) => withBatch === null || withBatch.has(`${s.account}\u0000${s.shiftId}`))
    .filter((s) => after === null || newerFirst(after, s) < 0)
    .sort(newerFirst);
  const page = shifts.slice(0, limit);
  const last = page.at(-1);
  const more = shifts.length > limit && last !== undefined;
  const computed = await Promise.all(
    page.map((s) => teamShift(repos, claimsOf, byAccount.get(s.account) as TeamMember, s.values, now)),
  );
  return {
    from,
    to,
    // Under a batch filter, a shift whose clips on it are all claims is left out: the page may
    // then hold fewer than `limit`, and the cursor still continues after its last shift.
    shifts: batch === null ? computed : computed.filter((s) => s.clips.some((c) => c.batchId === batch)),
    nextCursor: more
      ? encodeCursor({
          from,
          to,
          reviewer,
          batch,
          startedAt: last.startedAt,
          shiftId: last.shiftId,
          account: last.account,
        })
      : null,
  };
}
