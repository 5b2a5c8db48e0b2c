#!/usr/bin/env node
// Prints one closing line for the whole `npm test` run from the vitest and Playwright JSON
// reports, and lists every skipped test with its reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), 'test-results');
const read = (name) => JSON.parse(readFileSync(join(dir, name), 'utf8'));

const unit = read('vitest.json');
let passed = unit.numPassedTests;
let failed = unit.numFailedTests;
let skipped = unit.numPendingTests + unit.numTodoTests;

const skips = [];
const walk = (suite) => {
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests ?? []) {
      if (t.status === 'skipped') {
        skipped += 1;
        const reason = t.annotations?.find((a) => a.type === 'skip')?.description ?? 'no reason given';
        skips.push(`${spec.file} › ${spec.title}: ${reason}`);
      } else if (t.status === 'expected' || t.status === 'flaky') {
        passed += 1;
      } else {
        failed += 1;
      }
    }
  }
  (suite.suites ?? []).forEach(walk);
};
(read('playwright.json').suites ?? []).forEach(walk);

for (const s of skips) {
  process.stdout.write(`skipped: ${s}\n`);
}
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 ? 1 : 0);
