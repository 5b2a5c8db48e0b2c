/**
 * `npm run bench [-- --json FILE]`: runs every benchmark, prints a table, and optionally writes
 * one JSON object of all figures with the machine they came from.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { runVaultBench } from './vault.bench';

const { values } = parseArgs({ options: { json: { type: 'string' } }, strict: true });

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memory_gb: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
};

process.stdout.write(`Earmark benchmarks on ${machine.cpu} (${machine.cores} cores, ${machine.memory_gb} GiB), Node ${machine.node}\n\n`);
const results: Record<string, number> = { ...runVaultBench() };

const width = Math.max(...Object.keys(results).map((k) => k.length));
for (const [name, value] of Object.entries(results)) {
  process.stdout.write(`${name.padEnd(width)}  ${value}\n`);
}

if (values.json) {
  writeFileSync(values.json, `${JSON.stringify({ ...results, machine, date: new Date().toISOString() }, null, 2)}\n`);
  process.stdout.write(`\nwrote ${values.json}\n`);
}
