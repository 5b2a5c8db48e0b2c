/**
 * The Electron shell: hardening that must happen before `ready`, then the protocol, services,
 * IPC and the window. Everything Electron is asked to do passes through here.
 */
import { app, BrowserWindow, dialog, Menu, powerMonitor, protocol, safeStorage, session } from 'electron';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createSafeStorageKeyStore, DEVICE_KEY_FILE } from '../crypto/key-store';
import { createDispatcher } from '../ipc/dispatcher';
import { createHandlerTable } from '../ipc/handlers';
import { forwardEvents, registerIpc } from '../ipc/ipc-main';
import type { Logger } from '../log/logger';
import { loadPolicy, PolicyError, resolvePolicyFile, type PolicyLoadResult } from '../policy/policy-loader';
import { isAllowedServiceUrl } from '../policy/policy.schema';
import type { ProgramDataReader } from '../policy/program-data';
import { createServices, type Services } from '../services';
import { serveAppRequest } from './app-protocol';
import { checksSwitches, refusalMessage, refusedArguments, TEST_BUILD_MARK, userArguments } from './command-line';
import { createReportExporter } from './report-export';
import { refuseUnopened } from './unsent-rescue-dialog';
import { createSyncDialogs } from './sync-dialogs';
import { hardenSession, hardenWebContents } from './hardening';
import { appMenuTemplate } from './menu';
import { closeServicesOnQuit } from './quit';
import { electronNativeBinding } from './native-binding';
import { APP_ORIGIN, APP_SCHEME } from './origin';
import { decideUserData, readMounts, vaultDir } from './user-data';
import { createMainWindow } from './window';

export type ShellOptions = {
  /** Folder holding the built `main/`, `preload/` and `renderer/` output. */
  readonly outDir: string;
  readonly logger: Logger;
  readonly platform?: NodeJS.Platform;
  /** Set by electron-vite in development; the renderer is then served from it. */
  readonly devServerUrl?: string | undefined;
  /** The admin policy file; by default the machine-wide location for the platform. */
  readonly policyFile?: string | undefined;
  /** Where Windows keeps ProgramData; the OS is asked unless a test passes its own reader. */
  readonly programData?: ProgramDataReader;
  /** The process's arguments; `process.argv` unless a test passes its own. */
  readonly argv?: readonly string[];
};

export type ShellState = { services?: Services; policy?: PolicyLoadResult; readonly windowIds: Set<number> };

/** Electron's own name for the dump folder under userData; pinned there, emptied each start. */
export const CRASH_DUMPS_DIR = 'Crashpad';

/** Fails with a message an admin can act on, then quits. */
function refuseToStart(logger: Logger, title: string, message: string): void {
  logger.error('startup refused', { reason: title });
  dialog.showErrorBox(title, message);
  app.quit();
}

/**
 * Crash dumps are snapshots of process memory, so they can hold clip audio and transcripts.
 * The crash reporter is never started (nothing is collected or uploaded); as a second line of
 * defence the dump folder is pinned under the (possibly relocated) userData and emptied at every
 * start. Not fatal: with no crash reporter running nothing is written there.
 */
function purgeCrashDumps(logger: Logger): void {
  const dir = join(app.getPath('userData'), CRASH_DUMPS_DIR);
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    app.setPath('crashDumps', dir);
  } catch (error) {
    logger.warn('crash dumps: could not empty the folder', { error: error instanceof Error ? error.name : 'unknown' });
  }
}

/**
 * Loads the admin policy, or refuses to start when its file is broken: running on defaults
 * would silently undo what the admin pinned. Done once ready so the error box shows on Linux too.
 */
function loadAdminPolicy(o: ShellOptions, platform: NodeJS.Platform): PolicyLoadResult | undefined {
  let file: string;
  try {
    file =
      o.policyFile ??
      resolvePolicyFile({
        platform,
        env: process.env,
        isPackaged: app.isPackaged,
        ...(o.programData ? { programData: o.programData } : {}),
      });
  } catch (error) {
    // Windows could not say where ProgramData is: running without the admin's policy is no option.
    const detail = error instanceof Error ? error.message : 'unknown';
    refuseToStart(o.logger, 'Earmark cannot find its admin policy', `${detail}\n\nAsk your IT administrator.`);
    return undefined;
  }
  try {
    return loadPolicy({ file, logger: o.logger });
  } catch (error) {
    const message = error instanceof PolicyError ? error.message : `The admin policy file ${file} could not be read.`;
    refuseToStart(o.logger, 'Earmark cannot use its admin policy', message);
    return undefined;
  }
}

/** Points an unpackaged build at a development annotation service (`npm run service`). */
export const SERVICE_URL_ENV = 'EARMARK_SERVICE_URL';

/**
 * The development service URL, honoured only in unpackaged builds (a release takes its service
 * from the admin policy alone) and only when it passes the same check as the policy's.
 */
export function devServiceUrl(
  env: Readonly<Record<string, string | undefined>>,
  isPackaged: boolean,
  logger: Logger,
): string | undefined {
  const value = env[SERVICE_URL_ENV];
  if (isPackaged || !value) {
    return undefined;
  }
  if (!isAllowedServiceUrl(value)) {
    logger.warn('sync: EARMARK_SERVICE_URL ignored; it must be https, or http to this machine');
    return undefined;
  }
  return value;
}

/** Demo data is a convenience: failing to make it is logged, never fatal. */
function seedDemo(services: Services, logger: Logger): void {
  try {
    services.demo.ensureDemoBatch();
  } catch (error) {
    logger.error('demo: could not prepare the demo batch', {
      error: error instanceof Error ? error.message : 'unknown',
    });
  }
}

/** The Playwright build marks its packaged package.json (electron-builder.test.yml); no other build does. */
function isTestBuild(): boolean {
  try {
    const manifest: unknown = JSON.parse(readFileSync(join(app.getAppPath(), 'package.json'), 'utf8'));
    return typeof manifest === 'object' && manifest !== null && TEST_BUILD_MARK in manifest;
  } catch {
    return false;
  }
}

/**
 * Refuses a start with a command-line argument that is not allowed (main/app/command-line.ts):
 * shows why and exits at once, before `ready`, so no window, key or debugging endpoint is used.
 */
function refuseArguments(o: ShellOptions): boolean {
  if (!checksSwitches(app.isPackaged, process.env)) {
    return false;
  }
  const refused = refusedArguments(userArguments(o.argv ?? process.argv, app.isPackaged), isTestBuild());
  if (refused.length === 0) {
    return false;
  }
  o.logger.error('startup refused', { reason: 'command-line arguments', count: refused.length });
  dialog.showErrorBox('Earmark cannot start with these arguments', refusalMessage(refused));
  app.exit(1);
  return true;
}

export function startShell(o: ShellOptions): ShellState {
  const platform = o.platform ?? process.platform;
  const state: ShellState = { windowIds: new Set() };
  if (refuseArguments(o)) {
    return state;
  }
  // A dev server is honoured only in development builds, never in a packaged app.
  const devServerUrl = app.isPackaged ? undefined : o.devServerUrl;
  const rendererOrigin = devServerUrl ?? APP_ORIGIN;

  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);

  const decision = decideUserData({
    userData: app.getPath('userData'),
    platform,
    mounts: readMounts(platform),
    localAppData: process.env['LOCALAPPDATA'],
    appName: app.getName(),
  });
  if (decision.action === 'refuse') {
    refuseToStart(o.logger, 'Earmark cannot use a network folder', decision.reason);
    return state;
  }
  if (decision.action === 'relocate') {
    app.setPath('userData', decision.to);
    o.logger.warn('userData was on a network path; relocated to the local profile');
  }

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return state;
  }
  app.on('second-instance', () => {
    const [first] = [...state.windowIds].map((id) => BrowserWindow.fromId(id)).filter((w) => w !== null);
    if (first) {
      if (first.isMinimized()) {
        first.restore();
      }
      first.focus();
    }
  });

  hardenWebContents(APP_ORIGIN, devServerUrl);

  void app.whenReady().then(() => {
    purgeCrashDumps(o.logger);
    const policy = loadAdminPolicy(o, platform);
    if (!policy) {
      return;
    }
    state.policy = policy;
    // A development build keeps Electron's default menu (Reload, DevTools) for its developers.
    if (app.isPackaged) {
      Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(platform, app.getName())));
    }
    hardenSession(session.defaultSession, APP_ORIGIN, devServerUrl);
    const rendererRoot = join(o.outDir, 'renderer');
    protocol.handle(APP_SCHEME, async (request) => {
      const r = await serveAppRequest(rendererRoot, APP_ORIGIN, request.url, request.method);
      return new Response(r.body, { status: r.status, headers: r.headers });
    });

    // Typed as always there, but absent when main runs under plain Node (the tests).
    const versions: NodeJS.Dict<string> = process.versions;
    const nativeBinding = electronNativeBinding(app.getAppPath(), versions['electron'] ?? '', app.isPackaged);
    const dataDir = vaultDir(app.getPath('userData'));
    const keyStore = createSafeStorageKeyStore(safeStorage, join(dataDir, DEVICE_KEY_FILE), platform);
    const serviceUrl = devServiceUrl(process.env, app.isPackaged, o.logger);
    try {
      state.services = createServices({
        dataDir,
        appVersion: app.getVersion(),
        logger: o.logger,
        keyStore,
        resourcesDir: app.isPackaged ? process.resourcesPath : join(app.getAppPath(), 'resources'),
        policy: policy.policy,
        serviceUrl,
        dialogs: createSyncDialogs(
          dialog,
          () => [...state.windowIds].map((id) => BrowserWindow.fromId(id)).find((w) => w !== null) ?? undefined,
          platform,
        ),
        reportExporter: createReportExporter(
          dialog,
          () => [...state.windowIds].map((id) => BrowserWindow.fromId(id)).find((w) => w !== null) ?? undefined,
        ),
        ...(nativeBinding ? { nativeBinding } : {}),
      });
      // Fail closed now, with the key store's own message, rather than at the first clip. The
      // public half: the app may have started locked, and then keeps no private key in memory.
      state.services.vault.devicePublicKey();
      // With a service, batches come from it; the demo batch is for running without one.
      if (state.services.sync.status().configured) {
        state.services.sync.start();
      } else {
        seedDemo(state.services, o.logger);
      }
    } catch (error) {
      const rescue = { deviceKey: () => keyStore.loadOrCreateDeviceKey(), nativeBinding };
      const serviceMode = Boolean(policy.policy.serviceUrl ?? serviceUrl);
      refuseUnopened({ error, dataDir, serviceMode, dialog, logger: o.logger, quit: () => app.quit(), rescue });
      return;
    }
    // The OS locked the screen or is going to sleep: lock now, before anyone else can look.
    const services = state.services;
    powerMonitor.on('lock-screen', () => services.lock.lock('os_lock'));
    powerMonitor.on('suspend', () => services.lock.lock('suspend'));
    // Locked or asleep is not work: the renderer stops counting active time until it is back.
    powerMonitor.on('lock-screen', () => services.timing.powerChanged('lock'));
    powerMonitor.on('unlock-screen', () => services.timing.powerChanged('unlock'));
    powerMonitor.on('suspend', () => services.timing.powerChanged('suspend'));
    powerMonitor.on('resume', () => services.timing.powerChanged('resume'));
    const handlers = createHandlerTable(state.services);
    registerIpc(createDispatcher({ handlers, allowedOrigin: rendererOrigin, logger: o.logger }), state.windowIds);
    forwardEvents(state.services.events, state.windowIds);

    const win = createMainWindow({
      preloadPath: join(o.outDir, 'preload', 'index.js'),
      isPackaged: app.isPackaged,
      platform,
      ...(devServerUrl ? { startUrl: devServerUrl } : {}),
    });
    state.windowIds.add(win.id);
    win.on('closed', () => state.windowIds.delete(win.id));
  });

  app.on('window-all-closed', () => app.quit());
  closeServicesOnQuit(app, () => state.services, o.logger);
  return state;
}
