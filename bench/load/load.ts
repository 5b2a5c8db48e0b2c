/**
 * `npm run load -- --reviewers N --minutes M [--pace-factor F] [--clips C] [--json FILE]
 *                  [--data DIR | --database URL] [--url URL] [--service-arg X …]`
 * drives N simulated reviewers against the reference service on loopback and prints throughput
 * and latency per route for the checkout and steady phases (README, "Load test").
 */
import { writeFileSync } from 'node:fs';
import { UsageError } from '../args';
import { parseLoadArgs } from './load-args';
import { phaseTables } from './report';
import { runLoad, type LoadResult } from './run-load';

const out = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function summary(r: LoadResult): string[] {
  const c = r.config;
  return [
    `Earmark load test: ${c.reviewers} reviewers, pace factor ${c.paceFactor} (one clip per ${c.intervalMs} ms each), ` +
      `${c.clips} clips per batch, ${c.store}`,
    `machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memory_gb} GiB, Node ${r.machine.node}; ` +
      'service and load generator share it',
    `load average (1 min): ${r.loadAverage.atStart} at start, steady mean ${r.loadAverage.steadyMean}, ` +
      `max ${r.loadAverage.steadyMax}`,
    `CPU over the steady phase: service ${r.cpuSeconds.service ?? '?'} s ` +
      `(${r.cpuSeconds.serviceMsPerCycle ?? '?'} ms per submit cycle), load generator ` +
      `${r.cpuSeconds.loadGenerator} s (${r.cpuSeconds.loadGeneratorMsPerCycle} ms per cycle)`,
    `waited for a core while runnable: service ${r.cpuSeconds.serviceRunQueueWait ?? '?'} s, ` +
      `load generator ${r.cpuSeconds.loadGeneratorRunQueueWait ?? '?'} s`,
    ...phaseTables(r.phases),
    '',
    `clips submitted: ${r.totals.clipsSubmitted}; ops stored: ${r.totals.opsStored} ` +
      `(${r.totals.answered} with duplicates of lost answers); the service holds ` +
      `${r.totals.serviceHolds}; left unsent: ${r.totals.pendingLeft}; ` +
      (r.totals.verified ? 'every op held exactly once' : 'NOT VERIFIED: see the figures above'),
  ];
}

async function main(): Promise<void> {
  const args = parseLoadArgs(process.argv.slice(2));
  const result = await runLoad(args, out);
  summary(result).forEach(out);
  if (args.json) {
    writeFileSync(args.json, `${JSON.stringify(result, null, 2)}\n`);
    out(`wrote ${args.json}`);
  }
  if (!result.totals.verified) {
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof UsageError ? error.message : String(error)}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
