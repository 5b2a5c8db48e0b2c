import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../../fakes/electron';
import { startShell, type ShellState } from '../../../main/app/shell';
import { silentLogger } from '../../../main/log/logger';

vi.mock('electron', () => import('../../fakes/electron'));

let tmp: string;
let state: ShellState | undefined;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'earmark-shell-keys-'));
  await mkdir(join(tmp, 'out', 'renderer'), { recursive: true });
  await writeFile(join(tmp, 'out', 'renderer', 'index.html'), '<!doctype html><title>Earmark</title>');
});

afterEach(async () => {
  state?.services?.close();
  state = undefined;
  await rm(tmp, { recursive: true, force: true });
});

async function startReady(options: Partial<fake.FakeOptions>): Promise<void> {
  fake.resetFake({ isPackaged: true, userData: join(tmp, 'user-data'), appPath: tmp, ...options });
  state = startShell({ argv: ['earmark'], outDir: join(tmp, 'out'), logger: silentLogger, platform: 'linux' });
  await fake.emitReady();
}

const errorBoxes = () => fake.recordedCalls('dialog.showErrorBox').map((c) => String(c.args[1]));

describe('startShell device key', () => {
  it('makes the device key at start-up when the OS key store works', async () => {
    await startReady({});
    expect(errorBoxes()).toEqual([]);
    expect(state?.services?.vault.deviceKey().keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(fake.BrowserWindow.getAllWindows()).toHaveLength(1);
  });

  it('refuses to start, with what to do, when Linux offers only the basic_text store', async () => {
    await startReady({ safeStorageBackend: 'basic_text' });
    expect(errorBoxes()).toEqual([expect.stringMatching(/"basic_text" password store.*GNOME Keyring/s)]);
    expect(fake.recordedCalls('app.quit')).toHaveLength(1);
    expect(fake.BrowserWindow.getAllWindows()).toHaveLength(0);
  });

  it('refuses to start when the OS key store is unavailable', async () => {
    await startReady({ safeStorageAvailable: false });
    expect(errorBoxes()).toEqual([expect.stringMatching(/key store is not available/)]);
    expect(fake.BrowserWindow.getAllWindows()).toHaveLength(0);
  });
});
