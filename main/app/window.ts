import { BrowserWindow, type WebPreferences } from 'electron';
import { APP_ORIGIN } from './origin';

/** The renderer's web preferences: sandboxed, isolated, no Node, no webviews, no devtools when packaged. */
export function secureWebPreferences(preloadPath: string, isPackaged: boolean): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    enableWebSQL: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    // The Linux spellchecker downloads dictionaries; reviewers' machines have no internet.
    spellcheck: false,
    devTools: !isPackaged,
    disableBlinkFeatures: 'Auxclick',
  };
}

/** Platforms where setContentProtection keeps the window out of screenshots and recordings. */
const CONTENT_PROTECTION_PLATFORMS: ReadonlySet<NodeJS.Platform> = new Set(['win32', 'darwin']);

export type MainWindowOptions = {
  readonly preloadPath: string;
  readonly isPackaged: boolean;
  readonly platform: NodeJS.Platform;
  /** Where to load the UI; the app protocol unless a dev server is running. */
  readonly startUrl?: string;
};

export function createMainWindow(o: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Earmark',
    backgroundColor: '#11151c',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(o.preloadPath, o.isPackaged),
  });
  if (CONTENT_PROTECTION_PLATFORMS.has(o.platform)) {
    win.setContentProtection(true);
  }
  win.once('ready-to-show', () => win.show());
  void win.loadURL(o.startUrl ?? `${APP_ORIGIN}/index.html`);
  return win;
}
