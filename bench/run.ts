/**
 * `npm run bench [-- --json FILE] [--clips N | --quick] [--only PARTS] [--compare REF [--rounds N]]`:
 * runs every benchmark (or the parts named), prints a table, and optionally writes one JSON object of all figures with the
 * machine they came from. The JSON's shape is stable: every figure is a top-level number, beside
 * `machine` and `date`; `--compare` (compare/compare.ts) reads it back from each side's rounds.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseBenchArgs, UsageError, type BenchArgs } from './args';
import { runCompare } from './compare/compare';
import { machineInfo } from './machine';
import { runRendererBench } from './renderer.bench';
import { runSyncBench } from './sync.bench';
import { runVaultBench } from './vault.bench';
import { runWerBench } from './wer.bench';

async function runOnce(args: BenchArgs): Promise<void> {
  const machine = machineInfo();
  process.stdout.write(
    `Earmark benchmarks on ${machine.cpu} (${machine.cores} cores, ${machine.memory_gb} GiB), Node ${machine.node}, ${args.clips} clips\n\n`,
  );
  const results: Record<string, number> = {
    ...(args.only.includes('vault') ? await runVaultBench(args.clips) : {}),
    // Pure CPU in main's code, so it rides with the vault part.
    ...(args.only.includes('vault') ? runWerBench() : {}),
    ...(args.only.includes('sync') ? await runSyncBench(args.clips) : {}),
  };
  // The built renderer (out/renderer) in Chromium: `npm run bench` builds it first.
  const renderer = args.only.includes('renderer')
    ? await runRendererBench(args.clips, (line) => process.stdout.write(`${line}\n`))
    : undefined;
  Object.assign(results, renderer?.figures);

  const width = Math.max(...Object.keys(results).map((k) => k.length));
  for (const [name, value] of Object.entries(results)) {
    process.stdout.write(`${name.padEnd(width)}  ${value}\n`);
  }

  if (args.json) {
    const from = { ...machine, ...(renderer ? { chromium: renderer.chromium } : {}) };
    writeFileSync(
      args.json,
      `${JSON.stringify({ ...results, machine: from, date: new Date().toISOString() }, null, 2)}\n`,
    );
    process.stdout.write(`\nwrote ${args.json}\n`);
  }
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), process.env);
  if (args.compare === undefined) {
    await runOnce(args);
    return;
  }
  await runCompare({
    root: resolve(__dirname, '..'),
    ref: args.compare,
    rounds: args.rounds,
    clips: args.clips,
    only: args.only,
    json: args.json,
  });
}

main().catch((error: unknown) => {
  const message =
    error instanceof UsageError
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.stderr.write(`${message}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
