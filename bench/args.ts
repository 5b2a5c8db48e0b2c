/**
 * `npm run bench` arguments. The clip count can also come from EARMARK_BENCH_CLIPS, so a
 * comparison can ask an older tree for fewer clips without passing it an option it would refuse.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export const FULL_CLIPS = 1000;
export const QUICK_CLIPS = 250;
/** The renderer's early heap is taken after 50 clips; fewer than this leaves nothing to compare it with. */
export const MIN_CLIPS = 100;
export const CLIPS_ENV = 'EARMARK_BENCH_CLIPS';
export const DEFAULT_ROUNDS = 3;
export const PARTS = ['vault', 'sync', 'renderer'] as const;
export type Part = (typeof PARTS)[number];
/** Like CLIPS_ENV, so a comparison can hand the choice of parts to both trees. */
export const ONLY_ENV = 'EARMARK_BENCH_ONLY';

/** A mistake in the command line: printed as a message, without a stack. */
export class UsageError extends Error {}

export type BenchArgs = {
  /** Where to write the figures as JSON, if anywhere. */
  readonly json: string | undefined;
  /** Clips per batch for the vault, sync and renderer figures. */
  readonly clips: number;
  /** A commit to compare the working tree with, as given (resolved later by git). */
  readonly compare: string | undefined;
  /** Rounds per side when comparing. */
  readonly rounds: number;
  /** The benchmarks to run: all of them unless --only names some. */
  readonly only: readonly Part[];
};

const isPart = (name: string): name is Part => (PARTS as readonly string[]).includes(name);

function parts(text: string, what: string): Part[] {
  const names = text.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !isPart(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UsageError(`${what} takes a comma-separated list of ${PARTS.join(', ')}; not "${text}".`);
  }
  return PARTS.filter((part) => names.includes(part));
}

function count(text: string, what: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${what} must be a whole number from ${min} to ${max}, not "${text}".`);
  }
  return n;
}

/** node:util's parseArgs, its complaints (an unknown option, a missing value) as UsageErrors. */
function parseOrExplain<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError((error as Error).message);
    }
    throw error;
  }
}

export function parseBenchArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): BenchArgs {
  const { values } = parseOrExplain({
    args: [...argv],
    options: {
      json: { type: 'string' },
      clips: { type: 'string' },
      quick: { type: 'boolean', default: false },
      compare: { type: 'string' },
      rounds: { type: 'string' },
      only: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.rounds !== undefined && values.compare === undefined) {
    throw new UsageError('--rounds applies to --compare only.');
  }
  if (values.compare === '') {
    throw new UsageError('--compare needs a commit, branch or tag.');
  }
  if (values.quick && values.clips !== undefined) {
    throw new UsageError('--quick and --clips both set the clip count; give one.');
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
  const rounds = values.rounds === undefined ? DEFAULT_ROUNDS : count(values.rounds, '--rounds', 1, 50);
  const onlyEnv = env[ONLY_ENV];
  const only =
    values.only !== undefined
      ? parts(values.only, '--only')
      : onlyEnv !== undefined && onlyEnv !== ''
        ? parts(onlyEnv, ONLY_ENV)
        : [...PARTS];
  return { json: values.json, clips, compare: values.compare, rounds, only };
}
