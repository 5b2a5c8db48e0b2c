/**
 * The load run's figures as data (the `--json` file) and as a table for people: per phase, each
 * route's request count and rate, p50/p95/p99/max latency in milliseconds, and every status or
 * error code it got; ops stored per second; how late cycles started against their schedule.
 */
import type { Histogram } from 'hdr-histogram-js';
import { PHASES, type PhaseFigures, type Recorder } from './recorder';

export type Latency = { readonly p50: number; readonly p95: number; readonly p99: number; readonly max: number };

export type RouteSummary = Latency & {
  readonly count: number;
  readonly perSecond: number;
  /** `200`, `409 conflict`, `0 network`: how many of each. */
  readonly outcomes: Readonly<Record<string, number>>;
};

export type PhaseSummary = {
  readonly seconds: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** Annotations, escalations and audit events the service stored (first time). */
  readonly opsStored: number;
  readonly opsPerSecond: number;
  readonly timingRowsAccepted: number;
  /** Requests answered with anything but 2xx, or not answered. */
  readonly errors: Readonly<Record<string, number>>;
  readonly ops: Readonly<Record<string, number>>;
  readonly routes: Readonly<Record<string, RouteSummary>>;
  /** How late submit cycles started against the schedule (steady phase only). */
  readonly scheduleLagMs?: Latency;
};

const ms = (us: number): number => Math.round(us / 10) / 100;

const latencyOf = (h: Histogram): Latency => ({
  p50: ms(h.getValueAtPercentile(50)),
  p95: ms(h.getValueAtPercentile(95)),
  p99: ms(h.getValueAtPercentile(99)),
  max: ms(h.maxValue),
});

const rate = (n: number, seconds: number): number => (seconds > 0 ? Math.round((n / seconds) * 100) / 100 : 0);

const isOk = (outcome: string): boolean => /^2\d\d$/.test(outcome);

function summarizePhase(f: PhaseFigures): PhaseSummary {
  const seconds = Math.max(0, (f.endedAt - f.startedAt) / 1000);
  const routes: Record<string, RouteSummary> = {};
  const errors: Record<string, number> = {};
  let requests = 0;
  for (const [name, r] of [...f.routes].sort(([a], [b]) => a.localeCompare(b))) {
    const count = r.histogram.totalCount;
    if (!name.startsWith('(')) {
      requests += count;
    }
    routes[name] = {
      count,
      perSecond: rate(count, seconds),
      ...latencyOf(r.histogram),
      outcomes: Object.fromEntries(r.outcomes),
    };
    for (const [outcome, n] of r.outcomes) {
      if (!isOk(outcome)) {
        errors[`${name}: ${outcome}`] = n;
      }
    }
  }
  const ops = Object.fromEntries(f.ops);
  const opsStored = ['annotation', 'escalation', 'audit'].reduce(
    (n, kind) => n + (f.ops.get(`${kind} stored`) ?? 0),
    0,
  );
  return {
    seconds: Math.round(seconds * 100) / 100,
    requests,
    requestsPerSecond: rate(requests, seconds),
    opsStored,
    opsPerSecond: rate(opsStored, seconds),
    timingRowsAccepted: f.ops.get('timing accepted') ?? 0,
    errors,
    ops,
    routes,
    ...(f.lag.totalCount > 0 ? { scheduleLagMs: latencyOf(f.lag) } : {}),
  };
}

export function summarizePhases(rec: Recorder): Partial<Record<(typeof PHASES)[number], PhaseSummary>> {
  return Object.fromEntries(
    PHASES.filter((p) => rec.phases.has(p)).map((p) => [p, summarizePhase(rec.phases.get(p) as PhaseFigures)]),
  );
}

const cell = (v: string | number, width: number): string => String(v).padStart(width);

/** The phases as text tables, one row per route. */
export function phaseTables(phases: Partial<Record<string, PhaseSummary>>): string[] {
  const lines: string[] = [];
  for (const [phase, s] of Object.entries(phases)) {
    if (!s) {
      continue;
    }
    lines.push(
      '',
      `${phase}: ${s.seconds} s, ${s.requests} requests (${s.requestsPerSecond}/s), ` +
        `${s.opsStored} ops stored (${s.opsPerSecond}/s), ${s.timingRowsAccepted} timing rows`,
    );
    const width = Math.max(28, ...Object.keys(s.routes).map((k) => k.length));
    lines.push(
      `  ${'route'.padEnd(width)} ${cell('count', 7)} ${cell('req/s', 8)} ${cell('p50 ms', 9)} ${cell('p95 ms', 9)} ` +
        `${cell('p99 ms', 9)} ${cell('max ms', 9)}  statuses`,
    );
    for (const [name, r] of Object.entries(s.routes)) {
      const statuses = Object.entries(r.outcomes)
        .map(([o, n]) => `${o}×${n}`)
        .join(' ');
      lines.push(
        `  ${name.padEnd(width)} ${cell(r.count, 7)} ${cell(r.perSecond, 8)} ${cell(r.p50, 9)} ${cell(r.p95, 9)} ` +
          `${cell(r.p99, 9)} ${cell(r.max, 9)}  ${statuses}`,
      );
    }
    if (s.scheduleLagMs) {
      const l = s.scheduleLagMs;
      lines.push(`  cycles started late by: p50 ${l.p50} ms, p95 ${l.p95} ms, p99 ${l.p99} ms, max ${l.max} ms`);
    }
    const errors = Object.entries(s.errors);
    lines.push(`  errors: ${errors.length === 0 ? 'none' : errors.map(([k, n]) => `${k} ×${n}`).join('; ')}`);
    const odd = Object.entries(s.ops).filter(([k]) => !k.endsWith(' stored') && !k.endsWith(' accepted'));
    if (odd.length > 0) {
      lines.push(`  ops not stored: ${odd.map(([k, n]) => `${k} ×${n}`).join('; ')}`);
    }
  }
  return lines;
}
