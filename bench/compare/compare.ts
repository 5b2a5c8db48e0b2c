/**
 * `npm run bench -- --compare REF`: the working tree (HEAD) against REF built in a temporary
 * worktree, each side's own `bench/run.ts --json` run in its own tree, rounds alternating HEAD,
 * REF, HEAD, REF…, then per figure both medians, the ratio and whether it stands out of the noise.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIPS_ENV, ONLY_ENV, PARTS, type Part } from '../args';
import { machineInfo } from '../machine';
import { runPrefixed, stopCurrent } from './child';
import { roundOrder, type SideName } from './rounds';
import { figuresOf } from './run-json';
import {
  addRefTree,
  buildRefTree,
  git,
  provideDependencies,
  removeRefTree,
  removeStaleRefTrees,
  resolveCommit,
  type RefTree,
} from './ref-tree';
import { formatComparison } from './table';
import { compareFigures } from './verdict';

export type CompareOptions = {
  /** This checkout's root: the HEAD side runs here, as it is (uncommitted changes included). */
  readonly root: string;
  readonly ref: string;
  readonly rounds: number;
  readonly clips: number;
  readonly only: readonly Part[];
  readonly json: string | undefined;
};

const out = (line = ''): void => void process.stdout.write(`${line}\n`);

/** One round of one side: that tree's own bench, its figures read back from its JSON. */
async function runRound(tree: string, scratch: string, side: SideName, round: number, env: NodeJS.ProcessEnv) {
  const file = join(scratch, `${side}-${round}.json`);
  await runPrefixed(join(tree, 'node_modules', '.bin', 'tsx'), ['bench/run.ts', '--json', file], {
    cwd: tree,
    prefix: `[${side === 'head' ? 'HEAD' : 'REF'} ${round}]`,
    env,
  });
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return { raw, figures: figuresOf(raw) };
}

export async function runCompare(options: CompareOptions): Promise<void> {
  const { root, rounds, clips, only } = options;
  // Handed down by environment, which a tree whose bench predates these options ignores.
  const env = { ...process.env, [CLIPS_ENV]: String(clips), [ONLY_ENV]: only.join(',') };
  const refCommit = resolveCommit(root, options.ref);
  const headCommit = git(root, ['rev-parse', 'HEAD']);
  const dirty = git(root, ['status', '--porcelain', '--untracked-files=no']) !== '';
  const headLabel = `HEAD ${headCommit.slice(0, 7)}${dirty ? '+changes' : ''}`;
  const refLabel = `${options.ref} ${refCommit.slice(0, 7)}`;
  const machine = machineInfo();
  const parts = only.length === PARTS.length ? '' : ` (${only.join(', ')} only)`;
  out(`Comparing ${headLabel} with ${refLabel}: ${rounds} rounds per side, ${clips} clips${parts}, alternating.`);
  if (rounds < 2) {
    out('One round per side leaves no spread to draw a noise band from: every difference will be flagged.');
  }
  out(`On ${machine.cpu} (${machine.cores} cores, ${machine.memory_gb} GiB), Node ${machine.node}.`);

  for (const stale of removeStaleRefTrees(root)) {
    out(`Removed ${stale}, left by a comparison that was killed.`);
  }

  let tree: RefTree | undefined;
  const cleanUp = (): void => {
    if (tree) {
      removeRefTree(root, tree);
      tree = undefined;
    }
  };
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A second Ctrl+C while the tree is being removed must not cut the removal short.
    if (stopping) {
      return;
    }
    stopping = true;
    out(`\n${signal}: stopping and removing the REF worktree.`);
    stopCurrent();
    cleanUp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    tree = addRefTree(root, refCommit);
    const dependencies = await provideDependencies(root, tree);
    out(
      dependencies === 'linked'
        ? `REF worktree at ${tree.dir}, node_modules linked (same package-lock.json).`
        : `REF worktree at ${tree.dir}: its package-lock.json differs, so it ran npm install there.`,
    );
    await buildRefTree(tree);

    const runs: Record<SideName, { raw: unknown; figures: Record<string, number> }[]> = { head: [], ref: [] };
    for (const slot of roundOrder(rounds)) {
      out(`\n— ${slot.side === 'head' ? headLabel : refLabel}, round ${slot.round} of ${rounds}`);
      const dir = slot.side === 'head' ? root : tree.dir;
      runs[slot.side].push(await runRound(dir, tree.scratch, slot.side, slot.round, env));
    }

    const rows = compareFigures(
      runs.head.map((r) => r.figures),
      runs.ref.map((r) => r.figures),
    );
    out(`\nMedians of ${rounds} rounds (interquartile range); ratio = HEAD ÷ REF; ↑ higher is better, ↓ lower.`);
    out('A difference counts only where the two sides’ ranges do not overlap.\n');
    out(formatComparison(rows, headLabel, refLabel));
    const flagged = rows.filter((r) => r.verdict === 'better' || r.verdict === 'worse');
    const floors = rows.filter((r) => r.verdict === 'floor moved');
    out(`\n${flagged.length} of ${rows.length} figures outside the noise band.`);
    if (floors.length > 0) {
      out(
        `${floors.length} floors moved too: the sides ran on unequal terms (a busier machine), or the code under a floor changed.`,
      );
    }
    if (rows.some((r) => r.verdict === 'input differs')) {
      out(`The inputs differ: REF's bench may not read ${CLIPS_ENV}, so its figures come from another batch size.`);
    }

    if (options.json) {
      const report = {
        machine,
        date: new Date().toISOString(),
        clips,
        only,
        rounds,
        order: roundOrder(rounds),
        head: { label: headLabel, commit: headCommit, uncommitted_changes: dirty, runs: runs.head.map((r) => r.raw) },
        ref: { label: refLabel, ref: options.ref, commit: refCommit, dependencies, runs: runs.ref.map((r) => r.raw) },
        figures: rows,
      };
      writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
      out(`\nwrote ${options.json}`);
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    cleanUp();
  }
}
