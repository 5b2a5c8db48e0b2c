/**
 * The REF side of a comparison: a detached git worktree outside the repository, its
 * dependencies linked from this checkout when the lock file is the same (installed with
 * `npm install` from its lock when it is not), built with electron-vite as `npm run bench` builds HEAD.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { runPrefixed } from './child';

export type RefTree = {
  /** The temporary folder holding the worktree (and the rounds' JSON files). */
  readonly scratch: string;
  /** The worktree itself. */
  readonly dir: string;
};

export const git = (root: string, args: readonly string[]): string =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The commit REF names, or a readable error when it names none. */
export function resolveCommit(root: string, ref: string): string {
  try {
    return git(root, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`]);
  } catch {
    throw new Error(`"${ref}" names no commit in ${root}.`);
  }
}

const SCRATCH_PREFIX = 'earmark-bench-compare-';
const OWNER_FILE = 'owner.pid';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
};

/**
 * Removes REF worktrees left by a comparison that was killed outright (SIGKILL, a crash) and so
 * never ran its own clean-up: ours by name, their owning process gone.
 */
export function removeStaleRefTrees(root: string): string[] {
  const removed: string[] = [];
  const dirs = git(root, ['worktree', 'list', '--porcelain'])
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice('worktree '.length));
  for (const dir of dirs) {
    const scratch = dirname(dir);
    const owner = join(scratch, OWNER_FILE);
    if (basename(dir) !== 'ref' || !basename(scratch).startsWith(SCRATCH_PREFIX) || !existsSync(owner)) {
      continue;
    }
    if (!alive(Number(readFileSync(owner, 'utf8')))) {
      removeRefTree(root, { scratch, dir });
      removed.push(dir);
    }
  }
  return removed;
}

export function addRefTree(root: string, commit: string): RefTree {
  const scratch = mkdtempSync(join(tmpdir(), SCRATCH_PREFIX));
  writeFileSync(join(scratch, OWNER_FILE), String(process.pid));
  const dir = join(scratch, 'ref');
  try {
    git(root, ['worktree', 'add', '--detach', dir, commit]);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
  return { scratch, dir };
}

/** Links this checkout's node_modules when REF's lock file is the same; otherwise installs. */
export async function provideDependencies(root: string, tree: RefTree): Promise<'linked' | 'installed'> {
  const ours = readFileSync(join(root, 'package-lock.json'), 'utf8');
  const theirs = existsSync(join(tree.dir, 'package-lock.json'))
    ? readFileSync(join(tree.dir, 'package-lock.json'), 'utf8')
    : '';
  if (ours === theirs) {
    symlinkSync(realpathSync(join(root, 'node_modules')), join(tree.dir, 'node_modules'), 'dir');
    return 'linked';
  }
  // `npm install` from REF's lock, as scripts/setup.mjs does: `npm ci` refuses a lock that lacks
  // other platforms' optional builds, which the registry these machines reach does not serve.
  await runPrefixed('npm', ['install', '--no-audit', '--no-fund'], { cwd: tree.dir, prefix: '[REF npm install]' });
  return 'installed';
}

export function buildRefTree(tree: RefTree): Promise<void> {
  return runPrefixed(join(tree.dir, 'node_modules', '.bin', 'electron-vite'), ['build'], {
    cwd: tree.dir,
    prefix: '[REF build]',
  });
}

/**
 * Removes the worktree and its scratch folder; safe to call twice. The node_modules link goes
 * first so nothing that removes the tree can follow it into this checkout's dependencies.
 */
export function removeRefTree(root: string, tree: RefTree): void {
  const link = join(tree.dir, 'node_modules');
  try {
    unlinkSync(link);
  } catch {
    // Not a link (installed, or never made): the worktree removal takes it with the rest.
  }
  try {
    git(root, ['worktree', 'remove', '--force', tree.dir]);
  } catch {
    // Already gone or never registered; prune below forgets any stale record.
  }
  rmSync(tree.scratch, { recursive: true, force: true });
  try {
    git(root, ['worktree', 'prune']);
  } catch {
    // Nothing to prune.
  }
}
