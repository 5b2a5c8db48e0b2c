#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .native/electron-<version>/, from a copy of the
// package, so node_modules keeps its Node build and `npm test` still works after `npm start`.
// main/app/native-binding.ts loads this file when the app runs unpackaged.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const target = join(root, '.native', `electron-${electronVersion}`);
const binding = join(target, 'better_sqlite3.node');

if (existsSync(binding)) {
  process.exit(0);
}

const source = dirname(require.resolve('better-sqlite3/package.json'));
const work = join(root, '.native', 'build', 'better-sqlite3');
rmSync(work, { recursive: true, force: true });
mkdirSync(dirname(work), { recursive: true });
cpSync(source, work, { recursive: true, filter: (p) => !p.includes(`${join(source, 'build')}`) });

// npm points npm_config_node_gyp at its bundled node-gyp while running scripts.
const nodeGyp = process.env.npm_config_node_gyp;
if (!nodeGyp) {
  process.stderr.write('Run this through npm (npm start), which provides node-gyp.\n');
  process.exit(1);
}
const env = { ...process.env };
// A machine-wide nodedir would make node-gyp build against Node's headers instead of Electron's.
delete env.npm_config_nodedir;
delete env.NPM_CONFIG_NODEDIR;
process.stdout.write(`[native] building better-sqlite3 for Electron ${electronVersion}…\n`);
const result = spawnSync(
  process.execPath,
  [
    nodeGyp,
    'rebuild',
    '--release',
    `--target=${electronVersion}`,
    '--runtime=electron',
    '--dist-url=https://electronjs.org/headers',
  ],
  { cwd: work, stdio: 'inherit', env },
);
if (result.status !== 0) {
  process.stderr.write(
    '[native] Could not build better-sqlite3 for Electron (it needs Electron headers from the network). ' +
      'Tests are unaffected: they use the Node build in node_modules.\n',
  );
  process.exit(result.status ?? 1);
}
mkdirSync(target, { recursive: true });
cpSync(join(work, 'build', 'Release', 'better_sqlite3.node'), binding);
rmSync(join(root, '.native', 'build'), { recursive: true, force: true });
process.stdout.write(`[native] wrote ${binding}\n`);
