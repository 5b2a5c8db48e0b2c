import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../../fakes/electron';
import { PDF_OPTIONS } from '../../../main/app/report-export';
import { startShell, type ShellState } from '../../../main/app/shell';
import { createLogger } from '../../../main/log/logger';
import { signInVouched } from '../../support/signed-identity';

vi.mock('electron', () => import('../../fakes/electron'));

describe('startShell: timing and shift reports', () => {
  let tmp: string;
  let state: ShellState | undefined;

  beforeEach(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'earmark-shell-reports-'));
    await mkdir(join(tmp, 'out', 'renderer'), { recursive: true });
    await writeFile(join(tmp, 'out', 'renderer', 'index.html'), '<!doctype html><title>Earmark</title>');
    await symlink(resolve(__dirname, '../../../resources'), join(tmp, 'resources'));
    await mkdir(join(tmp, '.native', 'electron-'), { recursive: true });
    await symlink(
      require.resolve('better-sqlite3/build/Release/better_sqlite3.node'),
      join(tmp, '.native', 'electron-', 'better_sqlite3.node'),
    );
    fake.resetFake({ isPackaged: false, userData: join(tmp, 'user-data'), appPath: tmp });
    state = startShell({
      argv: ['earmark'],
      outDir: join(tmp, 'out'),
      logger: createLogger('error', () => undefined),
      platform: 'linux',
      policyFile: join(tmp, 'none.json'),
    });
    await fake.emitReady();
  });
  afterEach(async () => {
    state?.services?.close();
    state = undefined;
    await rm(tmp, { recursive: true, force: true });
  });

  const window = () => {
    const [win] = fake.BrowserWindow.getAllWindows();
    if (!win) {
      throw new Error('no window');
    }
    return win;
  };

  it('tells the window when the screen locks and unlocks and the machine sleeps and wakes', () => {
    for (const e of ['lock-screen', 'unlock-screen', 'suspend', 'resume']) {
      fake.powerMonitor.emit(e);
    }
    const states = window()
      .webContents.sent.filter((m) => m.channel === 'power:changed')
      .map((m) => m.args[0]);
    expect(states).toEqual([{ state: 'lock' }, { state: 'unlock' }, { state: 'suspend' }, { state: 'resume' }]);
  });

  it('prints the report page with printToPDF into the file chosen in the save dialog', async () => {
    const services = state?.services;
    if (services) {
      signInVouched(services, { pseudonym: 'sv-1', role: 'supervisor' });
    }
    const file = join(tmp, 'shift.pdf');
    fake.answerDialogs({ file });
    await expect(services?.reports.exportPdf()).resolves.toEqual({ file });
    expect(await readFile(file, 'utf8')).toBe('%PDF-1.7 fake report\n');
    expect(fake.recordedCalls('webContents.printToPDF').map((c) => c.args[0])).toEqual([PDF_OPTIONS]);
    const [save] = fake.recordedCalls('dialog.showSaveDialog');
    expect(save?.args[0]).toBe(window());
    expect(save?.args[1]).toMatchObject({
      defaultPath: expect.stringMatching(/^earmark-shift-report-.*\.pdf$/) as unknown,
      filters: [{ extensions: ['pdf'] }],
    });
  });

  it('prints nothing when the supervisor cancels the save dialog', async () => {
    if (state?.services) {
      signInVouched(state.services, { pseudonym: 'sv-1', role: 'supervisor' });
    }
    fake.answerDialogs({ file: null });
    await expect(state?.services?.reports.exportPdf()).resolves.toEqual({ file: null });
    expect(fake.recordedCalls('webContents.printToPDF')).toEqual([]);
  });

  it('writes the three CSV files into the folder chosen in the open dialog', async () => {
    const services = state?.services;
    // A reviewer's shift to report on: a supervisor's own sign-in starts none.
    services?.session.signIn({ pseudonym: 'rv-1', role: 'reviewer' });
    const shiftId = services?.shifts.current()?.id ?? '';
    expect(shiftId).not.toBe('');
    if (services) {
      signInVouched(services, { pseudonym: 'sv-1', role: 'supervisor' });
    }
    fake.answerDialogs({ folder: tmp });
    const { files } = (await services?.reports.exportCsv([shiftId])) ?? { files: [] };
    expect(files.map((f) => f.slice(tmp.length + 1))).toEqual([
      expect.stringMatching(/-clips\.csv$/),
      expect.stringMatching(/-shifts\.csv$/),
      expect.stringMatching(/-reviewers\.csv$/),
    ]);
    expect(fake.recordedCalls('dialog.showOpenDialog')[0]?.args[1]).toMatchObject({
      properties: ['openDirectory', 'createDirectory'],
    });
  });
});
