/**
 * Accounts and batches for the reference service: the demo ones `npm run service -- --demo` seeds
 * into an empty store (service/demo-start.ts), and the builders tests use. Demo secrets are fixed
 * and published in the README on purpose, so they never go into a store real reviewers use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packedClipSchema, type ClipDetails } from '../shared/batch-package/manifest';
import { idProblem } from '../shared/batch-package/pseudonymous-ids';
import { probeAudio } from '../core/package/audio-probe';
import { parseClipsTsv } from '../core/package/clips-tsv';
import { hashPassword } from './auth';
import type { Core } from './core';
import type { Repositories, ServiceClip, ServiceRole } from './store/repositories';

export type SeedAccount = {
  readonly account: string;
  readonly password: string;
  /** Base32, as an authenticator app takes it. */
  readonly totpSecret: string;
  readonly pseudonym: string;
  readonly role: ServiceRole;
};

export const DEMO_REVIEWER: SeedAccount = {
  account: 'reviewer',
  password: 'earmark-demo-reviewer',
  totpSecret: 'EARMARKDEMOREVIEWER2345672345672',
  pseudonym: 'rv-7f3a21',
  role: 'reviewer',
};

export const DEMO_SUPERVISOR: SeedAccount = {
  account: 'supervisor',
  password: 'earmark-demo-supervisor',
  totpSecret: 'EARMARKDEMOSUPERVISOR23456723456',
  pseudonym: 'sv-19c4e0',
  role: 'supervisor',
};

/** The demo batches, all assigned to the demo reviewer: ids drawn once from a CSPRNG, fixed for the docs. */
export const DEMO_BATCH_IDS = ['b-CYZMB5XZKN2BESXB', 'b-PEG91YXAYY2SFYFQ', 'b-4WCERZX8M2H1P4BE'] as const;

const DAY_MS = 86_400_000;

/** The row `a` is stored as (its password hashed, which takes a while: do it outside a transaction). */
async function accountRow(a: SeedAccount, maxDevices: number | undefined) {
  return {
    account: a.account,
    pseudonym: a.pseudonym,
    passwordHash: await hashPassword(a.password),
    totpSecret: a.totpSecret,
    ...(maxDevices !== undefined ? { maxDevices } : {}),
  };
}

/** Adds an account of any role; a reviewer or supervisor may hold `maxDevices` approved devices (default 1). */
export async function addAccount(core: Core, a: SeedAccount, o: { readonly maxDevices?: number } = {}): Promise<void> {
  const { maxDevices, ...base } = await accountRow(a, o.maxDevices);
  await (a.role === 'operator'
    ? core.store.accounts.addOperator({ ...base, createdAt: core.now(), createdBy: null })
    : core.store.accounts.add({ ...base, role: a.role, ...(maxDevices !== undefined ? { maxDevices } : {}) }));
}

export type SeedBatch = {
  readonly batchId: string;
  readonly assignedTo: string;
  readonly clips: readonly ServiceClip[];
  readonly locale?: string;
  readonly days?: number;
};

/** Why the service refuses to take in `b`, naming the field; undefined when it may. */
export function batchIntakeProblem(b: Pick<SeedBatch, 'batchId' | 'clips'>): string | undefined {
  const batchIdRefused = idProblem('batch', b.batchId);
  if (batchIdRefused !== undefined) {
    return `batchId: ${batchIdRefused}.`;
  }
  for (const [i, clip] of b.clips.entries()) {
    const parsed = packedClipSchema.safeParse(clip.details);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return `clips[${i}].${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}.`;
    }
  }
  return undefined;
}

/**
 * Takes a batch in, through `repos` (the store's own by default, or a unit of work's); refuses one
 * whose ids or hints are not the pseudonymous kind a package carries.
 */
export async function addBatch(core: Core, b: SeedBatch, repos: Repositories = core.store): Promise<void> {
  const problem = batchIntakeProblem(b);
  if (problem !== undefined) {
    throw new Error(`The batch was refused: ${problem}`);
  }
  const now = core.now();
  await repos.batches.add({
    batchId: b.batchId,
    assignedTo: b.assignedTo,
    locale: b.locale ?? 'en-US',
    createdAt: now,
    expiresAt: now + (b.days ?? 14) * DAY_MS,
    clips: b.clips,
  });
}

/** The clips of resources/demo (clips.tsv and clips/), probed like `batch pack` does. */
export function demoClips(resourcesDir: string): ServiceClip[] {
  const demoDir = join(resourcesDir, 'demo');
  const list = parseClipsTsv(readFileSync(join(demoDir, 'clips.tsv'), 'utf8'));
  return list.rows.map((row) => {
    if (row.consent === 'withdrawn') {
      // The service keeps of a withdrawn clip what a package may carry: its id and the mark.
      return { details: { id: row.clipId, consent: 'withdrawn' }, audio: null };
    }
    const base = {
      id: row.clipId,
      asrText: row.asrText,
      consent: row.consent,
      ...(row.hints ? { hints: row.hints } : {}),
    };
    const audio = readFileSync(join(demoDir, 'clips', row.file));
    const info = probeAudio(audio);
    const details: ClipDetails = { ...base, durationMs: info.durationMs, codec: info.codec };
    return { details, audio };
  });
}

/** The demo team: the demo supervisor supervises the demo reviewer. */
export const DEMO_TEAM = 'demo';

/**
 * Seeds the demo reviewer, the demo supervisor (supervising the reviewer in the demo team) and
 * three demo batches into a store that holds no account of any role yet; true when this call
 * seeded them, false when the store held accounts (the demo seed or others). All of it is one
 * unit of work, so several processes starting at once on one empty store all come up: one seeds,
 * and the others, refused the names it took, find its seed and take it as theirs.
 */
export async function seedDemo(core: Core, resourcesDir: string): Promise<boolean> {
  const seeded = async (): Promise<boolean> => (await core.store.accounts.find(DEMO_REVIEWER.account)) !== undefined;
  if (await seeded()) {
    return false;
  }
  const [reviewer, supervisor] = await Promise.all([
    accountRow(DEMO_REVIEWER, undefined),
    accountRow(DEMO_SUPERVISOR, undefined),
  ]);
  const clips = demoClips(resourcesDir);
  const at = core.now();
  try {
    return await core.store.transaction(async (tx) => {
      // Only an empty store: demo accounts beside real ones would let anyone who read the README in.
      if ((await tx.accounts.list()).length > 0) {
        return false;
      }
      await tx.accounts.add({ ...reviewer, role: 'reviewer' });
      await tx.accounts.add({ ...supervisor, role: 'supervisor' });
      await tx.teams.create(DEMO_TEAM, at, 'seed');
      await tx.teams.addMember({ team: DEMO_TEAM, account: DEMO_REVIEWER.account, role: 'member', at, by: 'seed' });
      await tx.teams.addMember({
        team: DEMO_TEAM,
        account: DEMO_SUPERVISOR.account,
        role: 'supervisor',
        at,
        by: 'seed',
      });
      for (const batchId of DEMO_BATCH_IDS) {
        await addBatch(core, { batchId, assignedTo: DEMO_REVIEWER.account, clips }, tx);
      }
      return true;
    });
  } catch (error) {
    // Another process seeded the store meanwhile: its unit of work committed, this one rolled back.
    if (await seeded()) {
      return false;
    }
    throw error;
  }
}
