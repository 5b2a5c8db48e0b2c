/**
 * `npm run screenshots -- --out DIR [--grep TEXT]`: builds the renderer and writes a PNG of every
 * screen and state into DIR (test/screenshots/screens.shot.ts), its language and size in each name.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'test-results/screenshots' }, grep: { type: 'string' } },
});
const env = { ...process.env, EARMARK_SCREENSHOTS_OUT: resolve(values.out) };
const run = (args) => {
  const r = spawnSync('npx', args, { stdio: 'inherit', env, shell: process.platform === 'win32' });
  if (r.status !== 0) {
    process.exit(r.status ?? 1);
  }
};
run(['electron-vite', 'build']);
run([
  'playwright',
  'test',
  '--config',
  'playwright.screenshots.config.ts',
  ...(values.grep ? ['--grep', values.grep] : []),
]);
