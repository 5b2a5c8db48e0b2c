/**
 * `npm run bench [-- --json FILE]`: runs every benchmark, prints a table, and optionally writes
 * one JSON object of all figures with the machine they came from.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { runRendererBench } from './renderer.bench';
import { runSyncBench } from './sync.bench';
import { runVaultBench } from './vault.bench';

const { values } = parseArgs({ options: { json: { type: 'string' } }, strict: true });

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memory_gb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
};

process.stdout.write(
  `Earmark benchmarks on ${machine.cpu} (${machine.cores} cores, ${machine.memory_gb} GiB), Node ${machine.node}\n\n`,
);
async function main(): Promise<void> {
  const results: Record<string, number> = { ...runVaultBench(), ...(await runSyncBench()) };
  // The built renderer (out/renderer) in Chromium: `npm run bench` builds it first.
  const renderer = await runRendererBench(1000, (line) => process.stdout.write(`${line}\n`));
  Object.assign(results, renderer.figures);

  const width = Math.max(...Object.keys(results).map((k) => k.length));
  for (const [name, value] of Object.entries(results)) {
    process.stdout.write(`${name.padEnd(width)}  ${value}\n`);
  }

  if (values.json) {
    const from = { ...machine, chromium: renderer.chromium };
    writeFileSync(
      values.json,
      `${JSON.stringify({ ...results, machine: from, date: new Date().toISOString() }, null, 2)}\n`,
    );
    process.stdout.write(`\nwrote ${values.json}\n`);
  }
}

void main();
