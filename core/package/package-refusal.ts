/**
 * The one error a package is refused with, and the shorthand that throws it: shared by the
 * file reading, the JSON parsing and the checks of the package reader.
 */
import type { PackageRefusal } from '../../shared/result';
import { inertText } from './inert-text';

/**
 * The package cannot be accepted at all; `problems` lists why, one line each (for the log and
 * the CLI), and `refusal` says it as the reviewer's screen can, in the reviewer's language.
 */
export class PackageRefusedError extends Error {
  override readonly name = 'PackageRefusedError';
  readonly problems: readonly string[];
  constructor(
    problems: readonly string[],
    readonly refusal: PackageRefusal = { reason: 'invalid' },
  ) {
    // Problems quote field names and ids from the package: keep them inert for a terminal.
    const shown = problems.map(inertText);
    super(`The batch package was refused: ${shown.join(' ')}`);
    this.problems = shown;
  }
}

/** Refuses the whole package for `problems`, as not valid (the common case). */
export const refuse = (...problems: string[]): never => {
  throw new PackageRefusedError(problems);
};
