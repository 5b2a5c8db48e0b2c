#!/usr/bin/env node
// `npm run test:crash`: the crash test at full strength (200 SIGKILLs unless CRASH_RUNS says
// otherwise). `npm test` runs the same file with its small default count.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const pkg = require.resolve('vitest/package.json');
const vitest = join(dirname(pkg), JSON.parse(readFileSync(pkg, 'utf8')).bin.vitest);
const r = spawnSync(process.execPath, [vitest, 'run', '--project', 'node', 'test/crash'], {
  stdio: 'inherit',
  env: { ...process.env, CRASH_RUNS: process.env.CRASH_RUNS ?? '200' },
});
process.exit(r.status ?? 1);
