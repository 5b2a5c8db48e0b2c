/**
 * One load run: prepare the reviewers in the store, start the service on it (unless one is
 * running), then sign everyone in, check every batch out at once (its own phase), run the steady
 * phase at the chosen pace, and check at the end that the service holds every op it stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSyncHttp } from '../../main/services/sync/sync-http';
import { machineInfo, type Machine } from '../machine';
import { SEED_CLIP_MS, type LoadArgs } from './load-args';
import { prepareReviewers } from './prepare';
import { createRecorder } from './recorder';
import { summarizePhases, type PhaseSummary } from './report';
import { processRunQueueSeconds, startServiceChild } from './service-child';
import { createSimulatedReviewer, CYCLE_ROUTE, type SimulatedReviewer } from './simulated-reviewer';

/** Sign-ins at once: each costs the service an scrypt, and its per-source failure count must stay low. */
const SIGN_IN_CONCURRENCY = 4;
/** How often the load average is sampled. */
const LOAD_SAMPLE_MS = 5_000;

export type LoadResult = {
  readonly config: Omit<LoadArgs, 'json' | 'database'> & {
    readonly intervalMs: number;
    readonly store: 'sqlite' | 'database';
  };
  readonly machine: Machine;
  readonly date: string;
  /** One-minute load average: at the start, and over the steady phase (sampled every 5 s). */
  readonly loadAverage: { readonly atStart: number; readonly steadyMean: number; readonly steadyMax: number };
  /**
   * CPU seconds over the steady phase: the service process (null with --url) and this process,
   * and each per submit cycle in milliseconds: what a cycle costs whatever else the machine runs.
   */
  readonly cpuSeconds: {
    readonly service: number | null;
    readonly loadGenerator: number;
    readonly serviceMsPerCycle: number | null;
    readonly loadGeneratorMsPerCycle: number;
    /** Seconds each waited for a core while runnable (Linux schedstat): the machine's other work. */
    readonly serviceRunQueueWait: number | null;
    readonly loadGeneratorRunQueueWait: number | null;
  };
  readonly phases: Partial<Record<string, PhaseSummary>>;
  readonly totals: {
    readonly reviewers: number;
    readonly clipsSubmitted: number;
    readonly checkoutBytes: number;
    /** Ops the service says it holds from the reviewers' devices, and ops it answered `stored` for. */
    readonly serviceHolds: number;
    readonly opsStored: number;
    /** Distinct ops the service answered `stored` or `duplicate` for: what it must hold. */
    readonly answered: number;
    readonly pendingLeft: number;
    /** The service holds exactly the ops it answered for, refused none, and nothing is left unsent. */
    readonly verified: boolean;
  };
};

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, runner));
}

const round = (x: number): number => Math.round(x * 100) / 100;

export async function runLoad(args: LoadArgs, log: (line: string) => void = () => undefined): Promise<LoadResult> {
  const startLoad = loadavg()[0] ?? 0;
  const ownData = args.data === undefined ? mkdtempSync(join(tmpdir(), 'earmark-load-')) : undefined;
  const dataDir = args.data ?? (ownData as string);
  const target = { dataDir, databaseUrl: args.database };
  log(`preparing ${args.reviewers} reviewers with ${args.clips} clips each in ${args.database ?? dataDir}`);
  const prepared = await prepareReviewers(target, args.reviewers, args.clips);
  const service =
    args.url === undefined ? await startServiceChild({ ...target, serviceArgs: args.serviceArgs }) : undefined;
  const url = args.url ?? (service?.url as string);
  log(`service on ${url}${service ? ' (started here)' : ''}`);
  const rec = createRecorder();
  const fetch = rec.timedFetch();
  const reviewers: SimulatedReviewer[] = prepared.map((r) =>
    createSimulatedReviewer(r, createSyncHttp({ baseUrl: url, fetch, timeoutMs: 120_000 }), rec),
  );
  const samples: number[] = [];
  try {
    rec.begin('sign-in');
    await pool(reviewers, SIGN_IN_CONCURRENCY, (r) => r.signIn());
    rec.begin('checkout');
    const bytes = await Promise.all(reviewers.map((r) => r.checkout()));
    log(`signed in and checked out ${reviewers.length} batches; steady phase for ${args.minutes} min`);

    rec.begin('steady');
    const intervalMs = SEED_CLIP_MS / args.paceFactor;
    const startAt = Date.now();
    const schedule = {
      intervalMs,
      until: startAt + args.minutes * 60_000,
      escalateEvery: args.escalateEvery,
      amendEvery: args.amendEvery,
    };
    const sampler = setInterval(() => samples.push(loadavg()[0] ?? 0), LOAD_SAMPLE_MS);
    const cpuBefore = {
      service: service?.cpuSeconds() ?? null,
      own: process.cpuUsage(),
      serviceWait: service?.runQueueSeconds() ?? null,
      ownWait: processRunQueueSeconds('self'),
    };
    await Promise.all(reviewers.map((r) => r.steady(schedule, startAt, Math.random() * intervalMs)));
    clearInterval(sampler);
    samples.push(loadavg()[0] ?? 0);
    const serviceAfter = service?.cpuSeconds() ?? null;
    const own = process.cpuUsage(cpuBefore.own);
    const waited = (before: number | null, after: number | null): number | null =>
      before === null || after === null ? null : round(after - before);
    const serviceWait = waited(cpuBefore.serviceWait, service?.runQueueSeconds() ?? null);
    const ownWait = waited(cpuBefore.ownWait, processRunQueueSeconds('self'));

    rec.begin('verify');
    const checks = await Promise.all(reviewers.map((r) => r.verify()));
    rec.end();
    const phases = summarizePhases(rec);
    const opsStored = Object.values(phases).reduce((n, p) => n + p.opsStored, 0);
    // A duplicate is an op stored before whose first answer was lost (a timeout): held once all the same.
    const refused = Object.values(phases).some((p) =>
      Object.keys(p.ops).some((k) => !/ (stored|duplicate|accepted)$/.test(k)),
    );
    const serviceHolds = checks.reduce((n, c) => n + c.held, 0);
    const pendingLeft = checks.reduce((n, c) => n + c.pending, 0);
    const answered = checks.reduce((n, c) => n + c.answered, 0);
    const { json: _json, database: _database, ...config } = args;
    const cycles = Math.max(1, phases.steady?.routes[CYCLE_ROUTE]?.count ?? 0);
    const serviceCpu = serviceAfter !== null && cpuBefore.service !== null ? serviceAfter - cpuBefore.service : null;
    const ownCpu = (own.user + own.system) / 1e6;
    return {
      config: { ...config, intervalMs, store: args.database === undefined ? 'sqlite' : 'database' },
      machine: machineInfo(),
      date: new Date().toISOString(),
      loadAverage: {
        atStart: round(startLoad),
        steadyMean: round(samples.reduce((a, b) => a + b, 0) / samples.length),
        steadyMax: round(Math.max(...samples)),
      },
      cpuSeconds: {
        service: serviceCpu === null ? null : round(serviceCpu),
        loadGenerator: round(ownCpu),
        serviceMsPerCycle: serviceCpu === null ? null : round((serviceCpu * 1000) / cycles),
        loadGeneratorMsPerCycle: round((ownCpu * 1000) / cycles),
        serviceRunQueueWait: serviceWait,
        loadGeneratorRunQueueWait: ownWait,
      },
      phases,
      totals: {
        reviewers: reviewers.length,
        clipsSubmitted: reviewers.reduce((n, r) => n + r.submitted(), 0),
        checkoutBytes: bytes.reduce((a, b) => a + b, 0),
        serviceHolds,
        opsStored,
        pendingLeft,
        answered,
        verified: serviceHolds === answered && pendingLeft === 0 && !refused,
      },
    };
  } finally {
    await service?.stop();
    if (ownData) {
      rmSync(ownData, { recursive: true, force: true });
    }
  }
}
