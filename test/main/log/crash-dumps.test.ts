import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../../fakes/electron';
import { CRASH_DUMPS_DIR, startShell, type ShellState } from '../../../main/app/shell';
import { createLogger } from '../../../main/log/logger';

vi.mock('electron', () => import('../../fakes/electron'));

const MAIN_DIR = join(__dirname, '..', '..', '..', 'main');

let tmp: string;
let userData: string;
let logs: string[];
let state: ShellState | undefined;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'earmark-crash-dumps-'));
  userData = join(tmp, 'user-data');
  logs = [];
  await mkdir(join(tmp, 'out', 'renderer'), { recursive: true });
  await writeFile(join(tmp, 'out', 'renderer', 'index.html'), '<!doctype html><title>Earmark</title>');
});

afterEach(async () => {
  state?.services?.close();
  state = undefined;
  await rm(tmp, { recursive: true, force: true });
});

async function startReady(data: string): Promise<void> {
  fake.resetFake({ isPackaged: true, userData: data, appPath: tmp });
  state = startShell({
    argv: ['earmark'],
    outDir: join(tmp, 'out'),
    logger: createLogger('debug', (l) => logs.push(l)),
    platform: 'linux',
    policyFile: join(tmp, 'no-policy.json'),
  });
  await fake.emitReady();
}

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('crash dumps', () => {
  it('are emptied from the dump folder under userData at every start', async () => {
    const dumps = join(userData, CRASH_DUMPS_DIR);
    await mkdir(join(dumps, 'completed'), { recursive: true });
    await writeFile(join(dumps, 'completed', 'a1b2.dmp'), 'memory with a transcript in it');
    await writeFile(join(dumps, 'settings.dat'), 'x');
    await startReady(userData);
    await expect(readdir(dumps)).resolves.toEqual([]);
    expect(state?.services).toBeDefined();
  });

  it('are pinned to that folder, under the userData in use, before any window exists', async () => {
    await startReady(userData);
    expect(fake.recordedCalls('app.setPath')).toContainEqual({
      name: 'app.setPath',
      args: ['crashDumps', join(userData, CRASH_DUMPS_DIR)],
    });
    expect(fake.firstCallIndex('app.setPath')).toBeLessThan(fake.firstCallIndex('BrowserWindow.constructor'));
  });

  it('do not stop the app when the folder cannot be emptied; it is logged', async () => {
    const notAFolder = join(tmp, 'user-data-file');
    await writeFile(notAFolder, 'x');
    await startReady(notAFolder);
    expect(fake.recordedCalls('app.setPath').filter((c) => c.args[0] === 'crashDumps')).toEqual([]);
    expect(logs.join('\n')).toContain('crash dumps: could not empty the folder');
    // What stops this start is the database, with its own message, not the dump folder.
    expect(fake.recordedCalls('dialog.showErrorBox').map((c) => c.args[0])).toEqual([
      'Earmark could not open its review data',
    ]);
  });

  it('are never collected or uploaded: the main process does not use the crash reporter', () => {
    const users = sources(MAIN_DIR).filter((file) => /\bcrashReporter\b/.test(readFileSync(file, 'utf8')));
    expect(users).toEqual([]);
  });
});
