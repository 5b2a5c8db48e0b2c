/**
 * The browser harness: the built renderer in real Chromium, served through the app protocol's
 * own request handler, with `window.reviewer` bridged to the real handler table in this process.
 * Only the transport differs from the Electron app. The Playwright fixture (harness.ts) and the
 * renderer benchmark (bench/renderer.bench.ts) both start the app through `startApp`.
 */
import type { Page, Route } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveAppRequest } from '../../../main/app/app-protocol';
import { isNavigationAllowed, isRequestAllowed } from '../../../main/app/navigation';
import { createDispatcher } from '../../../main/ipc/dispatcher';
import { createHandlerTable } from '../../../main/ipc/handlers';
import { createLogger } from '../../../main/log/logger';
import { createServices, type Services } from '../../../main/services';
import type { ReportExporter } from '../../../main/services/report.service';
import type { ClockSources } from '../../../main/services/trusted-clock';
import { testKeyStore } from '../../support/test-safe-storage';

/**
 * Chromium cannot be taught a custom scheme from outside, so pages load from this https origin
 * (intercepted, never on the network). The dispatcher is told to trust it exactly as the shell
 * trusts app://earmark.
 */
export const TEST_ORIGIN = 'https://earmark.test';
const RENDERER_ROOT = resolve(__dirname, '../../../out/renderer');
const BRIDGE_ENTRY = resolve(__dirname, 'page-bridge.ts');
const RESOURCES_DIR = resolve(__dirname, '../../../resources');

export type AppHarness = {
  readonly services: Services;
  readonly dataDir: string;
  /** The device key store main uses: packages made for its key import here. */
  readonly keyStore: ReturnType<typeof testKeyStore>;
  /** Requests main logged, one JSON line each. */
  readonly logs: readonly string[];
  /** Every IPC call the page made, in order: what a spec or benchmark asserts "was not asked". */
  readonly calls: IpcCall[];
  /**
   * Opens the app's start page and waits for the frame. By default main first makes the demo
   * batch from the bundled recordings, as the app does on first run.
   */
  open(options?: { readonly demo?: boolean }): Promise<void>;
};

export type IpcCall = { readonly channel: string; readonly payload: unknown };

export type RunningApp = AppHarness & {
  /** Stops the push events, closes the services and deletes the data folder. */
  dispose(): void;
};

/** Bundles a module that runs in the page (no imports at run time) into one script. */
export async function buildPageScript(entry: string, name: string): Promise<string> {
  const { build } = await import('vite');
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry, formats: ['iife'], name },
    },
  });
  const outputs = Array.isArray(out) ? out : [out];
  for (const o of outputs) {
    if ('output' in o) {
      const chunk = o.output.find((c) => c.type === 'chunk');
      if (chunk) {
        return chunk.code;
      }
    }
  }
  throw new Error(`Building ${entry} produced no code.`);
}

/** The page-side half of the bridge (page-bridge.ts), bundled once per worker or run. */
export const buildBridge = (): Promise<string> => buildPageScript(BRIDGE_ENTRY, 'EarmarkBridge');

/**
 * Serves our origin through the app protocol handler and refuses everything else, applying the
 * shell's own policies. A refused navigation is answered 204, which leaves the page in place,
 * as will-navigate's preventDefault does in Electron.
 */
async function routeRequest(route: Route): Promise<void> {
  const request = route.request();
  const url = request.url();
  if (
    request.isNavigationRequest() &&
    request.frame() === request.frame().page().mainFrame() &&
    !isNavigationAllowed(url, TEST_ORIGIN)
  ) {
    await route.fulfill({ status: 204 });
    return;
  }
  if (!isRequestAllowed(url, TEST_ORIGIN)) {
    await route.abort('blockedbyclient');
    return;
  }
  const r = await serveAppRequest(RENDERER_ROOT, TEST_ORIGIN, url, request.method());
  await route.fulfill({ status: r.status, headers: { ...r.headers }, ...(r.body ? { body: r.body } : {}) });
}

/**
 * Electron's IPC uses structured clone, so bytes arrive in the page as a Uint8Array. Playwright's
 * binding speaks JSON; bytes cross it tagged, and page-bridge.ts revives them.
 */
function toWire(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  if (Array.isArray(value)) {
    return value.map(toWire);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)]));
  }
  return value;
}

async function installBridge(
  page: Page,
  services: Services,
  logs: string[],
  calls: IpcCall[],
  bridgeScript: string,
): Promise<() => void> {
  const dispatcher = createDispatcher({
    handlers: createHandlerTable(services),
    allowedOrigin: TEST_ORIGIN,
    logger: createLogger('debug', (line) => logs.push(line)),
  });
  await page.exposeBinding('__earmarkInvoke', ({ frame }, channel: unknown, payload: unknown) => {
    calls.push({ channel: String(channel), payload });
    return dispatcher.invoke({ frameUrl: frame.url(), fromOwnWindow: true }, String(channel), payload).then(toWire);
  });
  await page.addInitScript({ content: bridgeScript });
  await page.route('**/*', routeRequest);
  return services.events.subscribe((event, payload) => {
    void page
      .evaluate(([e, p]) => (window as { __earmarkPush?: (e: string, p: unknown) => void }).__earmarkPush?.(e, p), [
        event,
        payload,
      ] as const)
      .catch(() => undefined);
  });
}

/** Real services over a fresh data folder, bridged into `page`; `open` then loads the app. */
export async function startApp(
  page: Page,
  bridgeScript: string,
  options: {
    readonly serviceUrl?: string;
    readonly clock?: ClockSources;
    /** An existing data folder, to start again over it as a restart would; the caller removes it. */
    readonly dataDir?: string;
    /** Where report exports go (report-files.ts); without one, exports are refused as in a browser. */
    readonly reportExporter?: ReportExporter;
  } = {},
): Promise<RunningApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'earmark-e2e-'));
  const logs: string[] = [];
  const calls: IpcCall[] = [];
  const keyStore = testKeyStore(dataDir);
  const services = createServices({
    dataDir,
    appVersion: '0.0.0-e2e',
    logger: createLogger('warn', (l) => logs.push(l)),
    keyStore,
    resourcesDir: RESOURCES_DIR,
    ...(options.serviceUrl ? { serviceUrl: options.serviceUrl } : {}),
    // Main's clock, for specs that turn it (waits after wrong tries, expiry).
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.reportExporter ? { reportExporter: options.reportExporter } : {}),
  });
  // As the shell does: with a service, the sender runs in the background.
  if (options.serviceUrl) {
    services.sync.start();
  }
  const stopEvents = await installBridge(page, services, logs, calls, bridgeScript);
  return {
    services,
    dataDir,
    keyStore,
    logs,
    calls,
    open: async ({ demo = true } = {}) => {
      if (demo) {
        services.demo.ensureDemoBatch();
      }
      await page.goto(`${TEST_ORIGIN}/index.html`);
      await page.getByRole('banner').waitFor();
    },
    dispose: () => {
      stopEvents();
      services.close();
      if (!options.dataDir) {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}
