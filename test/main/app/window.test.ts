import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from '../../fakes/electron';
import { createMainWindow } from '../../../main/app/window';

vi.mock('electron', () => import('../../fakes/electron'));

function onlyWindow(): fake.BrowserWindow {
  const [win, ...others] = fake.BrowserWindow.getAllWindows();
  expect(others).toHaveLength(0);
  if (!win) {
    throw new Error('no window was created');
  }
  return win;
}

const make = (isPackaged: boolean, platform: NodeJS.Platform = 'linux'): fake.BrowserWindow => {
  createMainWindow({ preloadPath: '/out/preload/index.js', isPackaged, platform });
  return onlyWindow();
};

describe('createMainWindow', () => {
  beforeEach(() => {
    fake.resetFake();
  });

  it('sandboxes and isolates the renderer with no Node, webviews or web-security exceptions', () => {
    const prefs = make(true).options.webPreferences;
    expect(prefs).toMatchObject({
      preload: '/out/preload/index.js',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('turns devtools off in a packaged app', () => {
    expect(make(true).options.webPreferences?.devTools).toBe(false);
  });

  it('keeps devtools in a development build', () => {
    expect(make(false).options.webPreferences?.devTools).toBe(true);
  });

  it('loads the UI from the app protocol, not from file://', () => {
    const win = make(true);
    expect(win.loadedUrls).toEqual(['app://earmark/index.html']);
  });

  it('loads a given start URL instead when one is passed', () => {
    createMainWindow({ preloadPath: '/p.js', isPackaged: false, platform: 'linux', startUrl: 'http://localhost:5173' });
    expect(onlyWindow().loadedUrls).toEqual(['http://localhost:5173']);
  });

  it('stays hidden until the first paint is ready', () => {
    const win = make(true);
    expect(win.options.show).toBe(false);
    expect(win.visible).toBe(false);
    win.emit('ready-to-show');
    expect(win.visible).toBe(true);
  });

  it.each(['win32', 'darwin'] as const)('keeps the window out of screen captures on %s', (platform) => {
    expect(make(true, platform).contentProtection).toBe(true);
  });

  it('does not ask for content protection on linux, where Electron has none', () => {
    make(true, 'linux');
    expect(fake.recordedCalls('BrowserWindow.setContentProtection')).toHaveLength(0);
  });
});
