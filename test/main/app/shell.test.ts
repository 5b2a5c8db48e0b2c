import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../../fakes/electron';
import { CONTENT_SECURITY_POLICY } from '../../../main/app/security-headers';
import { startShell, type ShellOptions, type ShellState } from '../../../main/app/shell';
import { silentLogger } from '../../../main/log/logger';
import { invokeChannels } from '../../../shared/ipc/channels';

vi.mock('electron', () => import('../../fakes/electron'));

const SECRET = 'root:x:0:0:do-not-serve';
const UNC_ROAMING = '\\\\fs01\\profiles\\alice\\AppData\\Roaming\\Earmark';

let tmp: string;
let outDir: string;
let state: ShellState | undefined;

beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'earmark-shell-'));
  outDir = join(tmp, 'out');
  await mkdir(join(outDir, 'renderer'), { recursive: true });
  await writeFile(join(outDir, 'renderer', 'index.html'), '<!doctype html><title>Earmark</title>');
  await writeFile(join(outDir, 'secret.txt'), SECRET);
  // Packaged by default: a development build wants the Electron-ABI better-sqlite3 under .native/.
  fake.resetFake({ isPackaged: true, userData: join(tmp, 'user-data'), appPath: tmp });
  vi.stubEnv('LOCALAPPDATA', undefined);
});

afterEach(async () => {
  state?.services?.close();
  state = undefined;
  vi.unstubAllEnvs();
  await rm(tmp, { recursive: true, force: true });
});

function start(overrides: Partial<ShellOptions> = {}): ShellState {
  state = startShell({
    argv: ['earmark'],
    // This machine is not Windows: where a test plays one, ProgramData is where Windows keeps it.
    programData: () => 'C:\\ProgramData',
    outDir,
    logger: silentLogger,
    platform: 'linux',
    ...overrides,
  });
  return state;
}

function onlyWindow(): fake.BrowserWindow {
  const windows = fake.BrowserWindow.getAllWindows();
  expect(windows).toHaveLength(1);
  const [win] = windows;
  if (!win) {
    throw new Error('no window was created');
  }
  return win;
}

function appProtocol(): fake.ProtocolHandler {
  const handler = fake.protocolHandler('app');
  if (!handler) {
    throw new Error('the app protocol has no handler');
  }
  return handler;
}

describe('startShell before ready', () => {
  it('enables the sandbox for every renderer', () => {
    start();
    expect(fake.recordedCalls('app.enableSandbox')).toHaveLength(1);
  });

  it('registers app: as a standard, secure scheme', () => {
    start();
    const [call, ...others] = fake.recordedCalls('protocol.registerSchemesAsPrivileged');
    expect(others).toHaveLength(0);
    expect(call?.args[0]).toMatchObject([{ scheme: 'app', privileges: { standard: true, secure: true } }]);
  });

  it('creates no window, protocol handler or IPC until the app is ready', () => {
    start();
    expect(fake.BrowserWindow.getAllWindows()).toHaveLength(0);
    expect(fake.protocolHandler('app')).toBeUndefined();
    expect(fake.recordedCalls('ipcMain.handle')).toHaveLength(0);
  });
});

describe('startShell once ready', () => {
  it('has enabled the sandbox and registered the scheme before ready', async () => {
    start();
    await fake.emitReady();
    const ready = fake.firstCallIndex('app.ready');
    expect(fake.firstCallIndex('app.enableSandbox')).toBeLessThan(ready);
    expect(fake.firstCallIndex('protocol.registerSchemesAsPrivileged')).toBeLessThan(ready);
    expect(fake.firstCallIndex('protocol.handle')).toBeGreaterThan(ready);
  });

  it('serves index.html from outDir/renderer with the content security policy', async () => {
    start();
    await fake.emitReady();
    const response = await appProtocol()({ url: 'app://earmark/index.html', method: 'GET' });
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Security-Policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response.text()).toContain('<title>Earmark</title>');
  });

  it.each([
    'app://earmark/..%2f..%2fetc/passwd',
    'app://earmark/..%2fsecret.txt',
    'app://earmark/..%5csecret.txt',
    'app://earmark/secret.txt%00.html',
    'app://other/index.html',
  ])('refuses %s without serving any file', async (url) => {
    start();
    await fake.emitReady();
    const response = await appProtocol()({ url, method: 'GET' });
    expect([400, 403, 404]).toContain(response.status);
    const body = await response.text();
    expect(body).not.toContain(SECRET);
    expect(body).not.toMatch(/root:|<title>/);
  });

  it('loads the main window from app://earmark/index.html with a locked-down renderer', async () => {
    start();
    await fake.emitReady();
    const win = onlyWindow();
    expect(win.loadedUrls).toEqual(['app://earmark/index.html']);
    expect(win.options.webPreferences).toMatchObject({
      preload: join(outDir, 'preload', 'index.js'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
    });
  });

  it('ignores a dev server URL in a packaged app', async () => {
    start({ devServerUrl: 'http://localhost:5173' });
    await fake.emitReady();
    expect(onlyWindow().loadedUrls).toEqual(['app://earmark/index.html']);
    const callback = vi.fn<(response: { readonly cancel?: boolean }) => void>();
    fake.fakeDefaultSession().beforeRequest?.({ url: 'http://localhost:5173/src/main.tsx' }, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith({ cancel: true });
  });

  it('hardens the default session', async () => {
    start();
    await fake.emitReady();
    const ses = fake.fakeDefaultSession();
    const granted = vi.fn<(granted: boolean) => void>();
    ses.permissionRequestHandler?.(null, 'media', granted, {});
    expect(granted).toHaveBeenCalledExactlyOnceWith(false);
    expect(ses.permissionCheckHandler?.(null, 'media', 'app://earmark', {})).toBe(false);
    expect(ses.devicePermissionHandler?.({})).toBe(false);
    expect(ses.listenerCount('will-download')).toBe(1);
  });

  it('keeps the main window from navigating away, opening windows or attaching webviews', async () => {
    start();
    await fake.emitReady();
    const { webContents } = onlyWindow();
    const away = fake.fakeEvent();
    webContents.emit('will-navigate', away, 'https://example.com');
    const inApp = fake.fakeEvent();
    webContents.emit('will-navigate', inApp, 'app://earmark/other');
    const webview = fake.fakeEvent();
    webContents.emit('will-attach-webview', webview);
    expect(away.defaultPrevented).toBe(true);
    expect(inApp.defaultPrevented).toBe(false);
    expect(webview.defaultPrevented).toBe(true);
    expect(webContents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it.each(['win32', 'darwin'] as const)('protects the window from screen capture on %s', async (platform) => {
    start({ platform });
    await fake.emitReady();
    expect(onlyWindow().contentProtection).toBe(true);
  });

  it('does not ask for content protection on linux', async () => {
    start({ platform: 'linux' });
    await fake.emitReady();
    onlyWindow();
    expect(fake.recordedCalls('BrowserWindow.setContentProtection')).toHaveLength(0);
  });
});

describe('startShell IPC', () => {
  it('registers one handler for every contract channel', async () => {
    start();
    await fake.emitReady();
    const channels = fake.recordedCalls('ipcMain.handle').map((c) => c.args[0]);
    expect(channels).toHaveLength(invokeChannels.length);
    expect(new Set(channels)).toEqual(new Set(invokeChannels));
  });

  it('answers a call from its own window', async () => {
    start();
    await fake.emitReady();
    const event = { sender: onlyWindow().webContents, senderFrame: { url: 'app://earmark/index.html' } };
    await expect(fake.ipcHandler('app:getInfo')?.(event, undefined)).resolves.toMatchObject({
      ok: true,
      value: { name: 'Earmark', version: '0.1.0-test' },
    });
  });

  it('refuses a call from a window it did not create or a foreign frame', async () => {
    start();
    await fake.emitReady();
    const handler = fake.ipcHandler('app:getInfo');
    const stranger = { sender: new fake.FakeWebContents(), senderFrame: { url: 'app://earmark/index.html' } };
    const foreignFrame = { sender: onlyWindow().webContents, senderFrame: { url: 'https://example.com/' } };
    const forbidden = { ok: false, error: { code: 'FORBIDDEN_SENDER' } };
    await expect(handler?.(stranger, undefined)).resolves.toMatchObject(forbidden);
    await expect(handler?.(foreignFrame, undefined)).resolves.toMatchObject(forbidden);
  });

  it('stops trusting a window once it is closed', async () => {
    const s = start();
    await fake.emitReady();
    const win = onlyWindow();
    win.emit('closed');
    expect(s.windowIds.size).toBe(0);
    const event = { sender: win.webContents, senderFrame: { url: 'app://earmark/index.html' } };
    await expect(fake.ipcHandler('app:getInfo')?.(event, undefined)).resolves.toMatchObject({ ok: false });
  });

  it('pushes service events to its windows', async () => {
    const s = start();
    await fake.emitReady();
    s.services?.events.emit('batches:changed', []);
    expect(onlyWindow().webContents.sent.map((m) => m.channel)).toEqual(['batches:changed']);
  });
});

describe('startShell lifecycle', () => {
  it('quits without a window when another instance holds the lock', async () => {
    fake.resetFake({ isPackaged: true, userData: join(tmp, 'user-data'), singleInstanceLock: false });
    const s = start();
    await fake.emitReady();
    expect(fake.recordedCalls('app.quit')).toHaveLength(1);
    expect(fake.BrowserWindow.getAllWindows()).toHaveLength(0);
    expect(fake.recordedCalls('ipcMain.handle')).toHaveLength(0);
    expect(s.services).toBeUndefined();
  });

  it('brings the existing window forward when a second instance starts', async () => {
    start();
    await fake.emitReady();
    const win = onlyWindow();
    win.minimized = true;
    fake.app.emit('second-instance', fake.fakeEvent(), [], tmp);
    expect(win.minimized).toBe(false);
    expect(win.focused).toBe(true);
  });

  it('quits when the last window closes', async () => {
    start();
    await fake.emitReady();
    fake.app.emit('window-all-closed');
    expect(fake.recordedCalls('app.quit')).toHaveLength(1);
  });

  it('closes its services when the app quits, and quits once their threads have ended', async () => {
    const s = start();
    await fake.emitReady();
    const first = fake.fakeEvent();
    fake.app.emit('will-quit', first);
    // Held back until the import workers have ended, then the services close and it is asked again.
    expect(first.defaultPrevented).toBe(true);
    await vi.waitFor(() => expect(fake.recordedCalls('app.quit')).toHaveLength(1), { timeout: 30_000 });
    expect(() => s.services?.batches.list()).toThrow();
    const second = fake.fakeEvent();
    fake.app.emit('will-quit', second);
    expect(second.defaultPrevented).toBe(false);
    expect(fake.recordedCalls('app.quit')).toHaveLength(1);
  });
});

describe('startShell userData', () => {
  it('refuses a network userData with an error box and quits before any window', async () => {
    fake.resetFake({ isPackaged: true, userData: UNC_ROAMING });
    vi.stubEnv('LOCALAPPDATA', '\\\\fs01\\profiles\\alice\\AppData\\Local');
    const s = start({ platform: 'win32' });
    await fake.emitReady();
    const [box] = fake.recordedCalls('dialog.showErrorBox');
    expect(box?.args[0]).toBe('Earmark cannot use a network folder');
    expect(box?.args[1]).toContain(UNC_ROAMING);
    expect(fake.firstCallIndex('dialog.showErrorBox')).toBeLessThan(fake.firstCallIndex('app.quit'));
    expect(fake.recordedCalls('app.requestSingleInstanceLock')).toHaveLength(0);
    expect(fake.BrowserWindow.getAllWindows()).toHaveLength(0);
    expect(s.services).toBeUndefined();
  });

  it('moves a roaming Windows userData to LOCALAPPDATA before taking the lock', () => {
    fake.resetFake({ isPackaged: true, userData: UNC_ROAMING });
    vi.stubEnv('LOCALAPPDATA', 'C:\\Users\\alice\\AppData\\Local');
    start({ platform: 'win32' });
    expect(fake.recordedCalls('app.setPath')).toEqual([
      { name: 'app.setPath', args: ['userData', 'C:\\Users\\alice\\AppData\\Local\\Earmark'] },
    ]);
    expect(fake.firstCallIndex('app.setPath')).toBeLessThan(fake.firstCallIndex('app.requestSingleInstanceLock'));
    expect(fake.recordedCalls('dialog.showErrorBox')).toHaveLength(0);
  });

  it('keeps the database in the vault folder of userData', async () => {
    const s = start();
    await fake.emitReady();
    expect(s.services).toBeDefined();
    await expect(readdir(join(tmp, 'user-data', 'vault'))).resolves.toContain('earmark.db');
  });

  it('refuses to start with an error box when the review database cannot be opened', async () => {
    const blocker = join(tmp, 'not-a-folder');
    await writeFile(blocker, 'x');
    fake.resetFake({ isPackaged: true, userData: blocker });
    start();
    await fake.emitReady();
    const [box] = fake.recordedCalls('dialog.showErrorBox');
    expect(box?.args[0]).toBe('Earmark could not open its review data');
    expect(fake.recordedCalls('app.quit')).toHaveLength(1);
    expect(fake.BrowserWindow.getAllWindows()).toHaveLength(0);
    expect(fake.recordedCalls('ipcMain.handle')).toHaveLength(0);
  });
});
