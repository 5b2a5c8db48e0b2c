/**
 * The layer rules of eslint.config.mjs (DESIGN §2), fed one forbidden import per layer pair at
 * several depths: each must be refused by the boundaries rule, each allowed import must pass, and
 * a two-file cycle must be reported. Probe files are virtual, their imports point at real files.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const layerRules = new Set(['boundaries/dependencies', 'boundaries/no-unknown-files', 'import-x/no-cycle']);

// The real configuration without type information: probe files are in no tsconfig.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: [tseslint.configs.disableTypeChecked],
  ruleFilter: ({ ruleId }) => layerRules.has(ruleId),
});

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

/** [file, imported module]: each must be refused. */
const forbidden: [string, string][] = [
  ['shared/probe.ts', '../main/log/logger'],
  ['shared/ipc/probe.ts', '../../renderer/app'],
  ['shared/probe.ts', 'node:fs'],
  ['shared/probe.ts', 'react'],
  ['core/probe.ts', '../main/app/window'],
  ['core/crypto/probe.ts', '../../service/main'],
  ['core/probe.ts', 'electron'],
  ['core/probe.ts', 'better-sqlite3'],
  ['main/services/probe.ts', '../../renderer/app'],
  ['main/services/sync/probe.ts', '../../../renderer/app'],
  ['main/services/sync/probe.ts', '../../ipc/sender'],
  ['main/services/sync/probe.ts', '../../app/window'],
  ['main/services/probe.ts', '../../preload/index'],
  ['main/services/probe.ts', '../../service/main'],
  ['main/services/probe.ts', 'electron'],
  ['main/db/probe.ts', '../../renderer/app'],
  ['main/db/repositories/probe.ts', '../../services/vault.service'],
  ['main/db/repositories/probe.ts', '../../ipc/sender'],
  ['main/db/probe.ts', 'electron'],
  ['main/ipc/probe.ts', '../app/window'],
  ['main/ipc/probe.ts', '../db/database'],
  ['main/app/probe.ts', '../../renderer/app'],
  ['main/app/probe.ts', '../../service/main'],
  ['main/crypto/probe.ts', '../services/vault.service'],
  ['core/fs/probe.ts', '../../main/app/app-protocol'],
  ['core/package/probe.ts', '../../main/services/vault.service'],
  ['core/package/probe.ts', '../../main/crypto/key-store'],
  ['shared/timing/probe.ts', '../../main/services/timing.service'],
  ['main/report/probe.ts', '../db/database'],
  ['main/policy/probe.ts', '../services/vault.service'],
  ['main/log/probe.ts', '../services/vault.service'],
  ['main/log/probe.ts', 'electron'],
  ['preload/probe.ts', '../main/log/logger'],
  ['preload/probe.ts', '../renderer/app'],
  ['preload/probe.ts', 'node:fs'],
  ['renderer/probe.ts', '../service/main'],
  ['renderer/components/probe.tsx', '../../service/routes/admin.routes'],
  ['renderer/components/probe.tsx', '../../main/log/logger'],
  ['renderer/probe.ts', '../preload/index'],
  ['renderer/probe.ts', 'node:fs'],
  ['renderer/probe.ts', 'electron'],
  ['service/probe.ts', '../main/crypto/key-store'],
  ['service/probe.ts', '../main/services/index'],
  ['service/routes/probe.ts', '../../main/db/database'],
  ['service/routes/probe.ts', '../../renderer/app'],
  ['service/store/probe.ts', '../routes/admin.routes'],
  ['service/probe.ts', 'electron'],
  ['service/routes/probe.ts', 'better-sqlite3'],
  ['tools/probe.ts', '../main/services/index'],
  ['tools/probe.ts', '../main/crypto/key-store'],
  ['tools/probe.ts', '../service/main'],
  ['bench/probe.ts', '../renderer/app'],
  ['scripts/probe.ts', '../main/log/logger'],
];

/** [file, import statement]: each must pass. */
const allowed: [string, string][] = [
  ['shared/ipc/probe.ts', "import { z } from 'zod';"],
  ['main/services/sync/probe.ts', "import { openDatabase } from '../../db/database';"],
  ['main/app/probe.ts', "import { isTrustedSender } from '../ipc/sender';"],
  ['main/ipc/probe.ts', "import { ipcMain } from 'electron';"],
  ['renderer/components/probe.tsx', "import { useState } from 'react';"],
  ['renderer/probe.ts', "import type * as preload from '../preload/index';"],
  ['service/routes/probe.ts', "import type { ServiceStore } from '../store/repositories';"],
  ['service/probe.ts', "import { openJson } from '../core/crypto/codec';"],
  ['main/services/probe.ts', "import { readPackage } from '../../core/package/package-reader';"],
  ['test/main/probe.test.ts', "import { openDatabase } from '../../main/db/database';"],
  ['bench/load/probe.ts', "import { openSqliteServiceStore } from '../../service/store/sqlite/service-store';"],
];

// Linting is slow on a loaded machine; the assertions, not the time, are what is tested.
describe('layer rules', { timeout: 30_000 }, () => {
  // The first lint loads the parser, the plugins and the resolver; later ones reuse them.
  beforeAll(async () => {
    await layerErrors('shared/probe.ts', "import { z } from 'zod';\n");
  }, 60_000);

  it.each(forbidden)('%s may not import %s', async (file, source) => {
    const errors = await layerErrors(file, `import * as probe from '${source}';\nexport { probe };\n`);
    expect(errors).toEqual([expect.stringMatching(/^boundaries\/dependencies: /)]);
  });

  it.each(allowed)('%s may: %s', async (file, statement) => {
    expect(await layerErrors(file, `${statement}\n`)).toEqual([]);
  });
});

describe('cycle check', { timeout: 30_000 }, () => {
  let dir = '';
  beforeAll(async () => {
    // import-x reads imported files from disk, so the cycle is written out for the test.
    dir = await mkdtemp(join(root, 'test/build/cycle-probe-'));
    await writeFile(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = (): number => b + 1;\n");
    await writeFile(join(dir, 'b.ts'), "import { a } from './a';\nexport const b = 1;\nexport const c = a;\n");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a two-file cycle', async () => {
    const file = join('test/build', basename(dir), 'a.ts');
    const code = "import { b } from './b';\nexport const a = (): number => b + 1;\n";
    expect(await layerErrors(file, code)).toEqual([expect.stringMatching(/^import-x\/no-cycle: /)]);
  });
});
