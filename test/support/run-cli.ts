import { vi } from 'vitest';

export type CliRun = { readonly code: number; readonly out: string; readonly err: string };

/** Runs an in-process CLI entry point, capturing what it writes to stdout and stderr. */
export function runCli(main: (argv: readonly string[]) => number, argv: readonly string[]): CliRun {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    return { code: main(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
