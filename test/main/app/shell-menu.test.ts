import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../../fakes/electron';
import { appMenuTemplate, MENU_ROLES } from '../../../main/app/menu';
import { startShell, type ShellState } from '../../../main/app/shell';
import { silentLogger } from '../../../main/log/logger';

vi.mock('electron', () => import('../../fakes/electron'));

let tmp: string;
let state: ShellState | undefined;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'earmark-menu-'));
  await mkdir(join(tmp, 'out', 'renderer'), { recursive: true });
  await writeFile(join(tmp, 'out', 'renderer', 'index.html'), '<!doctype html><title>Earmark</title>');
  vi.stubEnv('LOCALAPPDATA', undefined);
});

afterEach(async () => {
  state?.services?.close();
  state = undefined;
  vi.unstubAllEnvs();
  await rm(tmp, { recursive: true, force: true });
});

type Item = { role?: string; label?: string; submenu?: Item[] };
/** Every role and label in a menu template, at any depth. */
const flatten = (items: readonly Item[]): Item[] => items.flatMap((i) => [i, ...flatten(i.submenu ?? [])]);

async function menuOf(platform: NodeJS.Platform, isPackaged: boolean) {
  fake.resetFake({ isPackaged, userData: join(tmp, `user-data-${platform}`), appPath: tmp });
  state = startShell({
    argv: ['earmark'],
    // This machine is not Windows: where a test plays one, ProgramData is where Windows keeps it.
    programData: () => 'C:\\ProgramData',
    outDir: join(tmp, 'out'),
    logger: silentLogger,
    platform,
  });
  await fake.emitReady();
  return fake.fakeApplicationMenu();
}

describe('application menu', () => {
  it.each(['linux', 'win32', 'darwin'] as const)(
    'a packaged build on %s keeps undo, redo, paste and select all, and nothing that copies, reloads or debugs',
    async (platform) => {
      const menu = await menuOf(platform, true);
      expect(menu).toBeDefined();
      const items = flatten((menu?.template ?? []) as Item[]);
      const roles = items.map((i) => i.role).filter((r): r is string => r !== undefined);
      expect(roles).toEqual(expect.arrayContaining(['undo', 'redo', 'paste', 'selectAll']));
      for (const role of roles) {
        expect(MENU_ROLES as readonly string[]).toContain(role);
      }
      for (const forbidden of ['copy', 'cut', 'reload', 'forceReload', 'toggleDevTools', 'viewMenu']) {
        expect(roles).not.toContain(forbidden);
      }
      expect(items.map((i) => i.label)).not.toContain('View');
    },
  );

  it('macOS keeps Quit and Hide in the app menu', () => {
    const roles = flatten(appMenuTemplate('darwin', 'Earmark') as Item[]).map((i) => i.role);
    expect(roles).toEqual(expect.arrayContaining(['quit', 'hide']));
  });

  it('a development build leaves the default menu to its developers', async () => {
    expect(await menuOf('linux', false)).toBeUndefined();
  });
});
