/**
 * A fake of the parts of `electron` the shell uses. The Electron binary cannot be installed on
 * build machines (DESIGN §4), so tests swap this in with `vi.mock('electron', …)`, drive the
 * shell, then assert on what it recorded and call the handlers it registered.
 *
 * It keeps two Electron rules that a shell could silently break: privileged schemes must be
 * registered before `ready`, and protocol handlers and the default session exist only after it.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import type { SafeStorageLike } from '../../main/crypto/key-store';
import { createTestSafeStorage } from '../support/test-safe-storage';

type Listener = (...args: unknown[]) => unknown;

/** One call the shell made, in order, e.g. `{ name: 'app.quit', args: [] }`. */
export type RecordedCall = { readonly name: string; readonly args: readonly unknown[] };

const calls: RecordedCall[] = [];

function record(name: string, ...args: unknown[]): void {
  calls.push({ name, args });
}

/** Every recorded call, oldest first; `name` narrows to one method. */
export function recordedCalls(name?: string): readonly RecordedCall[] {
  return name === undefined ? [...calls] : calls.filter((c) => c.name === name);
}

/** The position of the first call named `name`, or -1. */
export const firstCallIndex = (name: string): number => calls.findIndex((c) => c.name === name);

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();

  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }

  once(event: string, listener: Listener): this {
    const wrapper: Listener = (...args) => {
      this.listeners.set(
        event,
        (this.listeners.get(event) ?? []).filter((l) => l !== wrapper),
      );
      return listener(...args);
    };
    return this.on(event, wrapper);
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      listener(...args);
    }
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  removeAllListeners(): void {
    this.listeners.clear();
  }
}

/** An Electron-style event whose `preventDefault` is observable. */
export type FakeEvent = { defaultPrevented: boolean; preventDefault(): void };

export function fakeEvent(): FakeEvent {
  const event: FakeEvent = {
    defaultPrevented: false,
    preventDefault: () => {
      event.defaultPrevented = true;
    },
  };
  return event;
}

// ---- app -------------------------------------------------------------------------------------

export type FakeOptions = {
  isPackaged: boolean;
  safeStorageAvailable: boolean;
  safeStorageBackend: string;
  singleInstanceLock: boolean;
  userData: string;
  appPath: string;
};

const defaults: FakeOptions = {
  isPackaged: false,
  safeStorageAvailable: true,
  safeStorageBackend: 'gnome_libsecret',
  singleInstanceLock: true,
  userData: '/fake/user-data',
  appPath: '/fake/app',
};

let options: FakeOptions = { ...defaults };
let ready = false;
let resolveReady: () => void = () => undefined;
let readyPromise = new Promise<void>((resolve) => {
  resolveReady = resolve;
});

class FakeApp extends Emitter {
  get isPackaged(): boolean {
    return options.isPackaged;
  }
  enableSandbox(): void {
    record('app.enableSandbox');
  }
  getPath(name: string): string {
    record('app.getPath', name);
    if (name !== 'userData') {
      throw new Error(`fake electron: getPath('${name}') is not faked`);
    }
    return options.userData;
  }
  setPath(name: string, path: string): void {
    record('app.setPath', name, path);
    if (name === 'userData') {
      options.userData = path;
    }
  }
  getName(): string {
    return 'Earmark';
  }
  getVersion(): string {
    return '0.1.0-test';
  }
  getAppPath(): string {
    return options.appPath;
  }
  requestSingleInstanceLock(): boolean {
    record('app.requestSingleInstanceLock');
    return options.singleInstanceLock;
  }
  quit(): void {
    record('app.quit');
  }
  exit(code = 0): void {
    record('app.exit', code);
  }
  whenReady(): Promise<void> {
    return readyPromise;
  }
}

export const app = new FakeApp();

/**
 * Fires `ready` and waits until every `whenReady()` continuation registered so far has run
 * (they were queued on the same promise before this await).
 */
export async function emitReady(): Promise<void> {
  ready = true;
  record('app.ready');
  resolveReady();
  app.emit('ready');
  await readyPromise;
}

function assertReady(what: string): void {
  if (!ready) {
    throw new Error(`fake electron: ${what} is only available after the app is ready`);
  }
}

// ---- BrowserWindow ---------------------------------------------------------------------------

type WindowOpenHandler = (details: { readonly url: string }) => { readonly action: 'allow' | 'deny' };

export class FakeWebContents extends Emitter {
  windowOpenHandler: WindowOpenHandler | undefined;
  readonly sent: { readonly channel: string; readonly args: readonly unknown[] }[] = [];

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  /** Prints the page: a recognisable PDF stand-in, the options recorded. */
  printToPDF(options: unknown): Promise<Buffer> {
    record('webContents.printToPDF', options);
    return Promise.resolve(Buffer.from('%PDF-1.7 fake report\n'));
  }
}

let windows: BrowserWindow[] = [];
let nextWindowId = 1;

export class BrowserWindow extends Emitter {
  readonly id = nextWindowId++;
  readonly webContents = new FakeWebContents();
  contentProtection: boolean | undefined;
  readonly loadedUrls: string[] = [];
  visible = false;
  minimized = false;
  focused = false;

  constructor(readonly options: BrowserWindowConstructorOptions) {
    super();
    record('BrowserWindow.constructor', options);
    windows.push(this);
    // Electron announces every new web contents; the shell hardens them from that event.
    app.emit('web-contents-created', fakeEvent(), this.webContents);
  }

  static getAllWindows(): readonly BrowserWindow[] {
    return [...windows];
  }
  static fromId(id: number): BrowserWindow | null {
    return windows.find((w) => w.id === id) ?? null;
  }
  static fromWebContents(contents: unknown): BrowserWindow | null {
    return windows.find((w) => w.webContents === contents) ?? null;
  }

  setContentProtection(enable: boolean): void {
    record('BrowserWindow.setContentProtection', enable);
    this.contentProtection = enable;
  }
  show(): void {
    this.visible = true;
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrls.push(url);
    return Promise.resolve();
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  focus(): void {
    this.focused = true;
  }
  isDestroyed(): boolean {
    return false;
  }
}

// ---- protocol ----------------------------------------------------------------------------------

export type ProtocolRequest = { readonly url: string; readonly method: string };
export type ProtocolHandler = (request: ProtocolRequest) => Response | Promise<Response>;

const protocolHandlers = new Map<string, ProtocolHandler>();

export const protocol = {
  registerSchemesAsPrivileged(schemes: readonly unknown[]): void {
    // Electron ignores (and warns about) registration after ready; a shell that does it is broken.
    if (ready) {
      throw new Error('fake electron: registerSchemesAsPrivileged must be called before ready');
    }
    record('protocol.registerSchemesAsPrivileged', schemes);
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    assertReady('protocol.handle');
    record('protocol.handle', scheme);
    protocolHandlers.set(scheme, handler);
  },
};

export const protocolHandler = (scheme: string): ProtocolHandler | undefined => protocolHandlers.get(scheme);

// ---- session -----------------------------------------------------------------------------------

type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: unknown,
) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin: string, details: unknown) => boolean;
type DevicePermissionHandler = (details: unknown) => boolean;
type BeforeRequestListener = (
  details: { readonly url: string },
  callback: (response: { readonly cancel?: boolean }) => void,
) => void;

export class FakeSession extends Emitter {
  permissionRequestHandler: PermissionRequestHandler | undefined;
  permissionCheckHandler: PermissionCheckHandler | undefined;
  devicePermissionHandler: DevicePermissionHandler | undefined;
  beforeRequest: BeforeRequestListener | undefined;

  readonly webRequest = {
    // Electron accepts `(listener)` or `(filter, listener)`.
    onBeforeRequest: (...args: [BeforeRequestListener] | [unknown, BeforeRequestListener]): void => {
      this.beforeRequest = args.length === 1 ? args[0] : args[1];
    },
  };

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: DevicePermissionHandler): void {
    this.devicePermissionHandler = handler;
  }
}

let defaultSession = new FakeSession();

export const session = {
  get defaultSession(): FakeSession {
    assertReady('session.defaultSession');
    return defaultSession;
  },
};

/** The default session without the ready check, for assertions. */
export const fakeDefaultSession = (): FakeSession => defaultSession;

// ---- dialog, ipcMain ---------------------------------------------------------------------------

/** What the next open and save dialogs answer; set with {@link answerDialogs}. */
const dialogAnswers: {
  open: { canceled: boolean; filePaths: string[] };
  save: { canceled: boolean; filePath: string };
} = {
  open: { canceled: true, filePaths: [] },
  save: { canceled: true, filePath: '' },
};

/** Scripts the dialogs: a chosen folder and file, or null for a cancelled dialog. */
export function answerDialogs(o: { folder?: string | null; file?: string | null }): void {
  if (o.folder !== undefined) {
    dialogAnswers.open =
      o.folder === null ? { canceled: true, filePaths: [] } : { canceled: false, filePaths: [o.folder] };
  }
  if (o.file !== undefined) {
    dialogAnswers.save = o.file === null ? { canceled: true, filePath: '' } : { canceled: false, filePath: o.file };
  }
}

export const dialog = {
  showErrorBox(title: string, content: string): void {
    record('dialog.showErrorBox', title, content);
  },
  showOpenDialog(window: unknown, options: unknown): Promise<{ canceled: boolean; filePaths: string[] }> {
    record('dialog.showOpenDialog', window, options);
    return Promise.resolve({ ...dialogAnswers.open });
  },
  showSaveDialog(window: unknown, options: unknown): Promise<{ canceled: boolean; filePath: string }> {
    record('dialog.showSaveDialog', window, options);
    return Promise.resolve({ ...dialogAnswers.save });
  },
};

export type IpcHandler = (event: unknown, ...args: unknown[]) => unknown;

const ipcHandlers = new Map<string, IpcHandler>();

/** The OS power events the shell listens for; tests emit 'lock-screen' and 'suspend'. */
export const powerMonitor = new Emitter();

export const ipcMain = {
  handle(channel: string, handler: IpcHandler): void {
    if (ipcHandlers.has(channel)) {
      // Electron throws here too.
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    record('ipcMain.handle', channel);
    ipcHandlers.set(channel, handler);
  },
};

export const ipcHandler = (channel: string): IpcHandler | undefined => ipcHandlers.get(channel);

// ---- Menu --------------------------------------------------------------------------------------

/** A built menu: the template it came from, kept for assertions. */
export type FakeMenu = { readonly template: readonly unknown[] };
let applicationMenu: FakeMenu | null | undefined;

export const Menu = {
  buildFromTemplate(template: readonly unknown[]): FakeMenu {
    return { template };
  },
  setApplicationMenu(menu: FakeMenu | null): void {
    record('Menu.setApplicationMenu', menu);
    applicationMenu = menu;
  },
};

/** The menu the shell set; undefined when it set none (Electron's default menu then shows). */
export const fakeApplicationMenu = (): FakeMenu | null | undefined => applicationMenu;

// ---- safeStorage -------------------------------------------------------------------------------

/** Electron's safeStorage, backed by the tests' stand-in; availability and backend are knobs. */
export const safeStorage: SafeStorageLike = {
  isEncryptionAvailable: () => options.safeStorageAvailable,
  getSelectedStorageBackend: () => options.safeStorageBackend,
  encryptString: (plainText) => createTestSafeStorage().encryptString(plainText),
  decryptString: (encrypted) => createTestSafeStorage().decryptString(encrypted),
};

// ---- control -----------------------------------------------------------------------------------

/** Forgets everything recorded and restores the defaults, with `overrides` applied. */
export function resetFake(overrides: Partial<FakeOptions> = {}): void {
  calls.length = 0;
  options = { ...defaults, ...overrides };
  ready = false;
  readyPromise = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  app.removeAllListeners();
  windows = [];
  protocolHandlers.clear();
  defaultSession = new FakeSession();
  ipcHandlers.clear();
  powerMonitor.removeAllListeners();
  applicationMenu = undefined;
  answerDialogs({ folder: null, file: null });
}
