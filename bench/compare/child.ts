/**
 * Runs one command of a comparison, its output prefixed with the side and round it belongs to,
 * and remembers it so an interrupt can stop it before the REF tree is removed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

let current: ChildProcess | undefined;

export type ChildOptions = {
  readonly cwd: string;
  readonly prefix: string;
  readonly env?: NodeJS.ProcessEnv;
};

export function runPrefixed(command: string, args: readonly string[], options: ChildOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    current = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${options.prefix} ${line}\n`));
    }
    child.on('error', (error) => {
      current = undefined;
      reject(error);
    });
    child.on('close', (code, signal) => {
      current = undefined;
      if (code === 0) {
        resolve();
      } else {
        reject(
          new Error(`${options.prefix} ${command} ${args.join(' ')} ended with ${signal ?? `exit code ${code}`}.`),
        );
      }
    });
  });
}

/** Stops the command running now, if any (an interrupt is under way). */
export function stopCurrent(): void {
  current?.kill('SIGTERM');
  current = undefined;
}
