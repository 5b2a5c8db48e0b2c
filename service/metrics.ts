/**
 * The service's Prometheus metrics (prom-client), one registry per service so several services in
 * one process (tests) count apart. Labels carry route patterns, status codes, op kinds and result
 * codes only: never a raw path, an id, an account or anything a reviewer typed.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OpResult } from '../shared/sync/messages';
import type { OpKind } from '../shared/sync/protocol';
import type { ServiceStore } from './store/repositories';

/** Escalation age buckets: upper bounds in hours, then the rest. */
const AGE_BUCKETS: readonly { readonly label: string; readonly maxHours: number }[] = [
  { label: 'lt_1h', maxHours: 1 },
  { label: '1h_to_8h', maxHours: 8 },
  { label: '8h_to_24h', maxHours: 24 },
  { label: '1d_to_7d', maxHours: 24 * 7 },
  { label: 'ge_7d', maxHours: Number.POSITIVE_INFINITY },
];

/** Escalation statuses still waiting for someone (closed ones are not counted). */
const UNRESOLVED = ['open', 'acknowledged', 'referred'] as const;

const HOUR_MS = 60 * 60 * 1000;

/**
 * The process figures (CPU, memory, event loop, GC), once per process however many services it
 * runs: each collector watches the whole process, and tests start many services in one.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'earmark_' });
  }
  return processRegistry;
}

/** The age bucket of something `ageMs` old. */
export function ageBucket(ageMs: number): string {
  const hours = ageMs / HOUR_MS;
  return (AGE_BUCKETS.find((b) => hours < b.maxHours) ?? AGE_BUCKETS[AGE_BUCKETS.length - 1])?.label ?? 'ge_7d';
}

/**
 * Creates the registry and the service's metrics.
 * @param o.store read at scrape time for the escalations still waiting
 * @param o.now the service's clock, for their ages
 */
export function createServiceMetrics(o: { readonly store: ServiceStore; readonly now: () => number }) {
  const registry = new Registry();
  const requests = new Counter({
    name: 'earmark_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status (dropped: no answer sent).',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'earmark_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer ending, by method and route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'earmark_http_requests_in_flight',
    help: 'Requests being answered now (this scrape included).',
    registers: [registry],
  });
  const ops = new Counter({
    name: 'earmark_ops_total',
    help: 'Uploaded ops by kind and outcome (stored, duplicate, conflict, rejected) and result code.',
    labelNames: ['kind', 'outcome', 'code'] as const,
    registers: [registry],
  });
  const checkouts = new Counter({
    name: 'earmark_checkouts_total',
    help: 'Batches packed and handed to a device.',
    registers: [registry],
  });
  const purged = new Counter({
    name: 'earmark_audio_purged_clips_total',
    help: 'Clips whose audio was purged after their batch ended.',
    registers: [registry],
  });
  const slotsLost = new Counter({
    name: 'earmark_upload_slots_lost_total',
    help: 'Store-wide upload slots this process found lapsed and taken by another, when renewing or giving one back.',
    labelNames: ['at'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'earmark_escalations_unresolved',
    help: 'Escalations not yet closed, by status and age since the reviewer saved them (read at scrape time).',
    labelNames: ['status', 'age'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const now = o.now();
      for (const status of UNRESOLVED) {
        for (const b of AGE_BUCKETS) {
          this.set({ status, age: b.label }, 0);
        }
        // The store has no count by age; the unresolved escalations are few (people answer them).
        for (const e of await o.store.escalations.withStatus(status)) {
          this.inc({ status, age: ageBucket(now - e.createdAt) });
        }
      }
    },
  });
  return {
    /** The metrics page: this service's metrics and the process figures, in the Prometheus text format. */
    page: (): Promise<string> => Registry.merge([processMetrics(), registry]).metrics(),
    contentType: registry.contentType,
    /** A request arrived. */
    requestStarted(): void {
      inFlight.inc();
    },
    /** One answered (or dropped) request. */
    request(method: string, route: string, status: string, seconds: number): void {
      inFlight.dec();
      requests.inc({ method, route, status });
      duration.observe({ method, route }, seconds);
    },
    /** The results of one bulk upload (online or from a results package). */
    opsApplied(kind: OpKind, results: readonly OpResult[]): void {
      for (const r of results) {
        ops.inc({ kind, outcome: r.outcome, code: r.code });
      }
    },
    checkout(): void {
      checkouts.inc();
    },
    audioPurged(clips: number): void {
      purged.inc(clips);
    },
    /** A store-wide upload slot this process held was found lapsed and taken. */
    uploadSlotLost(at: 'renew' | 'release'): void {
      slotsLost.inc({ at });
    },
  };
}

export type ServiceMetrics = ReturnType<typeof createServiceMetrics>;
