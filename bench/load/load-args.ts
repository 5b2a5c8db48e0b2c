/**
 * `npm run load` arguments: how many simulated reviewers, for how long, at what pace, and which
 * service (one started here over a data folder or a database, or one already running).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../args';

/** The seeds' pace: one clip every 32 s, all in (DESIGN §1). */
export const SEED_CLIP_MS = 32_000;

export type LoadArgs = {
  readonly reviewers: number;
  /** How long the steady phase runs at most; it ends sooner once every batch is done. */
  readonly minutes: number;
  /** The seeds' pace is divided by this: 10 makes one clip per 3.2 s per reviewer. */
  readonly paceFactor: number;
  /** Clips per reviewer's batch. */
  readonly clips: number;
  /** An escalation on every this-many-th clip, an amendment of the clip before on every this-many-th. */
  readonly escalateEvery: number;
  readonly amendEvery: number;
  /** A running service to drive instead of starting one; its store must be `data` or `database`. */
  readonly url: string | undefined;
  /** The data folder prepared here (a temporary one when neither it nor `url` is given). */
  readonly data: string | undefined;
  /** A database URL, prepared here and handed to the service as `--database`. */
  readonly database: string | undefined;
  /** Passed to the service process verbatim, in order. */
  readonly serviceArgs: readonly string[];
  readonly json: string | undefined;
};

function number(text: string | undefined, what: string, min: number, max: number, fallback: number): number {
  if (text === undefined) {
    return fallback;
  }
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`${what} must be a number from ${min} to ${max}, not "${text}".`);
  }
  return n;
}

const whole = (text: string | undefined, what: string, min: number, max: number, fallback: number): number => {
  const n = number(text, what, min, max, fallback);
  if (!Number.isInteger(n)) {
    throw new UsageError(`${what} must be a whole number, not "${text ?? ''}".`);
  }
  return n;
};

export function parseLoadArgs(argv: readonly string[]): LoadArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        reviewers: { type: 'string' },
        minutes: { type: 'string' },
        'pace-factor': { type: 'string' },
        clips: { type: 'string' },
        'escalate-every': { type: 'string' },
        'amend-every': { type: 'string' },
        url: { type: 'string' },
        data: { type: 'string' },
        database: { type: 'string' },
        'service-arg': { type: 'string', multiple: true },
        json: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.reviewers === undefined || v.minutes === undefined) {
    throw new UsageError('--reviewers N and --minutes M are required.');
  }
  if (v.url !== undefined && v.data === undefined && v.database === undefined) {
    throw new UsageError('--url needs the store that service runs on (--data DIR or --database URL) to prepare.');
  }
  if (v.url !== undefined && (v['service-arg'] ?? []).length > 0) {
    throw new UsageError('--service-arg applies to a service started here, not to --url.');
  }
  if (v.url !== undefined && !/^http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?\/?$/.test(v.url)) {
    // Load is only ever sent to this machine.
    throw new UsageError('--url must be a loopback address (127.x.x.x, localhost or [::1]).');
  }
  return {
    reviewers: whole(v.reviewers, '--reviewers', 1, 5_000, 1),
    minutes: number(v.minutes, '--minutes', 0.01, 24 * 60, 1),
    paceFactor: number(v['pace-factor'], '--pace-factor', 0.01, 100_000, 10),
    clips: whole(v.clips, '--clips', 1, 10_000, 1_000),
    escalateEvery: whole(v['escalate-every'], '--escalate-every', 1, 100_000, 200),
    amendEvery: whole(v['amend-every'], '--amend-every', 1, 100_000, 50),
    url: v.url,
    data: v.data,
    database: v.database,
    serviceArgs: v['service-arg'] ?? [],
    json: v.json,
  };
}
