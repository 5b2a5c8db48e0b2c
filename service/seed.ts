/**
 * Accounts and batches for the reference service: the demo ones `npm run service` starts with,
 * and the builders tests use. Demo secrets are fixed and published in the README on purpose —
 * this service is for development and tests, never for real reviewers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packedClipSchema, type ClipDetails } from '../shared/batch-package/manifest';
import { idProblem } from '../shared/batch-package/pseudonymous-ids';
import { probeAudio } from '../core/package/audio-probe';
import { parseClipsTsv } from '../core/package/clips-tsv';
import { hashPassword } from './auth';
import type { Core } from './core';
import type { ServiceClip, ServiceRole } from './store/repositories';

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

/** Adds an account of any role; a reviewer or supervisor may hold `maxDevices` approved devices (default 1). */
export async function addAccount(core: Core, a: SeedAccount, o: { readonly maxDevices?: number } = {}): Promise<void> {
  const base = {
    account: a.account,
    pseudonym: a.pseudonym,
    passwordHash: await hashPassword(a.password),
    totpSecret: a.totpSecret,
  };
  await (a.role === 'operator'
    ? core.store.accounts.addOperator({ ...base, createdAt: core.now(), createdBy: null })
    : core.store.accounts.add({
        ...base,
        role: a.role,
        ...(o.maxDevices !== undefined ? { maxDevices: o.maxDevices } : {}),
      }));
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

/** Takes a batch in; refuses one whose ids or hints are not the pseudonymous kind a package carries. */
export async function addBatch(core: Core, b: SeedBatch): Promise<void> {
  const problem = batchIntakeProblem(b);
  if (problem !== undefined) {
    throw new Error(`The batch was refused: ${problem}`);
  }
  const now = core.now();
  await core.store.batches.add({
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

async function addDemoTeam(core: Core): Promise<void> {
  const at = core.now();
  await core.store.transaction(async (tx) => {
    await tx.teams.create(DEMO_TEAM, at, 'seed');
    await tx.teams.addMember({ team: DEMO_TEAM, account: DEMO_REVIEWER.account, role: 'member', at, by: 'seed' });
    await tx.teams.addMember({ team: DEMO_TEAM, account: DEMO_SUPERVISOR.account, role: 'supervisor', at, by: 'seed' });
  });
}

/**
 * Seeds the demo reviewer, the demo supervisor (supervising the reviewer in the demo team) and
 * three demo batches, unless already there.
 */
export async function seedDemo(core: Core, resourcesDir: string): Promise<boolean> {
  if (await core.store.accounts.find(DEMO_REVIEWER.account)) {
    return false;
  }
  await addAccount(core, DEMO_REVIEWER);
  await addAccount(core, DEMO_SUPERVISOR);
  await addDemoTeam(core);
  const clips = demoClips(resourcesDir);
  for (const batchId of DEMO_BATCH_IDS) {
    await addBatch(core, { batchId, assignedTo: DEMO_REVIEWER.account, clips });
  }
  return true;
}
