/**
 * `npm run bench` arguments. The clip count can also come from EARMARK_BENCH_CLIPS, so a
 * comparison can ask an older tree for fewer clips without passing it an option it would refuse.
 */
import { parseArgs } from 'node:util';

export const FULL_CLIPS = 1000;
export const QUICK_CLIPS = 250;
/** The renderer's early heap is taken after 50 clips; fewer than this leaves nothing to compare it with. */
export const MIN_CLIPS = 100;
export const CLIPS_ENV = 'EARMARK_BENCH_CLIPS';

export type BenchArgs = {
  /** Where to write the figures as JSON, if anywhere. */
  readonly json: string | undefined;
  /** Clips per batch for the vault, sync and renderer figures. */
  readonly clips: number;
};

function count(text: string, what: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${what} must be a whole number from ${min} to ${max}, not "${text}".`);
  }
  return n;
}

export function parseBenchArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      json: { type: 'string' },
      clips: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.quick && values.clips !== undefined) {
    throw new Error('--quick and --clips both set the clip count; give one.');
  }
  const fromEnv = env[CLIPS_ENV];
  const clips =
    values.clips !== undefined
      ? count(values.clips, '--clips', MIN_CLIPS, 100_000)
      : values.quick
        ? QUICK_CLIPS
        : fromEnv !== undefined && fromEnv !== ''
          ? count(fromEnv, CLIPS_ENV, MIN_CLIPS, 100_000)
          : FULL_CLIPS;
  return { json: values.json, clips };
}
