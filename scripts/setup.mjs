#!/usr/bin/env node
// One-step set-up for `npm start` and `npm test` on a fresh clone: installs dependencies when
// package-lock.json changed since the last install, and makes sure better-sqlite3 in
// node_modules is built for this Node (tests load it there; Electron gets its own copy).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'node_modules', '.earmark-install-stamp');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function say(message) {
  process.stdout.write(`[setup] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
    ...options,
  });
  if (result.status !== 0) {
    process.stderr.write(`[setup] ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}).\n`);
    process.exit(result.status ?? 1);
  }
}

// Node 24 is the supported LTS line (engines.node); older lines are past or near their end of life.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 24 || (major === 24 && minor < 11)) {
  process.stderr.write(`[setup] Earmark needs Node 24.11 or newer; this is ${process.versions.node}.\n`);
  process.exit(1);
}

const lockHash = createHash('sha256')
  .update(readFileSync(join(root, 'package-lock.json')))
  .digest('hex');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== lockHash) {
  // `npm install` rather than `npm ci`: the registry these machines reach lacks some other
  // platforms' optional builds (e.g. @rollup/rollup-android-arm64@4.68.7), so the lock omits
  // them and `npm ci` refuses it as out of sync. `npm install` follows the same lock.
  say('installing dependencies…');
  run(npm, ['install', '--no-audit', '--no-fund']);
  writeFileSync(stamp, lockHash);
}

// A better-sqlite3 built for another ABI (say, by an earlier in-place Electron rebuild) is rebuilt.
const probe = spawnSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
  cwd: root,
  encoding: 'utf8',
});
if (probe.status !== 0) {
  say('better-sqlite3 does not load under this Node; rebuilding it from source…');
  run(npm, ['rebuild', 'better-sqlite3']);
}
