/** The shape of one group of the admin CLI (`npm run service -- admin GROUP ACTION …`). */
import type { Core } from '../core';
import type { Actor } from '../devices';

export type AdminContext = {
  readonly core: Core;
  /** The signed-in operator, acting from `cli`. */
  readonly actor: Actor;
  /** Writes one line to standard output. */
  readonly out: (line: string) => void;
  /** Writes one line to standard error: notes that must not mix with output meant for a file or a pipe. */
  readonly err: (line: string) => void;
};

export type AdminGroup = {
  /** The group's name on the command line: `devices`, `accounts`, … */
  readonly name: string;
  /** One usage line per action. */
  readonly usage: readonly string[];
  /** Runs `action` with its arguments; returns the exit code. */
  run(ctx: AdminContext, action: string | undefined, args: readonly string[]): Promise<number>;
};

/** A usage error: the CLI prints it with the group's usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The one positional argument at `i`, or a usage error naming it. */
export function arg(args: readonly string[], i: number, what: string): string {
  const value = args[i];
  if (value === undefined || value === '') {
    throw new UsageError(`Missing ${what}.`);
  }
  return value;
}
