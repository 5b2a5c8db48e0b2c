/**
 * The browser harness: the built renderer in real Chromium, served through the app protocol's
 * own request handler, with `window.reviewer` bridged to the real handler table in this process.
 * Only the transport differs from the Electron app.
 */
import { test as base, type Page, type Route } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveAppRequest } from '../../../main/app/app-protocol';
import { isNavigationAllowed, isRequestAllowed } from '../../../main/app/navigation';
import { createDispatcher } from '../../../main/ipc/dispatcher';
import { createHandlerTable } from '../../../main/ipc/handlers';
import { createLogger } from '../../../main/log/logger';
import { createServices, type Services } from '../../../main/services';
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
  /** Requests main logged, one JSON line each. */
  readonly logs: readonly string[];
  /**
   * Opens the app's start page and waits for the frame. By default main first makes the demo
   * batch from the bundled recordings, as the app does on first run.
   */
  open(options?: { readonly demo?: boolean }): Promise<void>;
};

async function buildBridge(): Promise<string> {
  const { build } = await import('vite');
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: BRIDGE_ENTRY, formats: ['iife'], name: 'EarmarkBridge' },
    },
  });
  const outputs = Array.isArray(out) ? out : [out];
  for (const o of outputs) {
    if ('output' in o) {
      const chunk = o.output.find((c) => c.type === 'chunk');
      if (chunk && chunk.type === 'chunk') {
        return chunk.code;
      }
    }
  }
  throw new Error('Building the page bridge produced no code.');
}

/**
 * Serves our origin through the app protocol handler and refuses everything else, applying the
 * shell's own policies. A refused navigation is answered 204, which leaves the page in place,
 * as will-navigate's preventDefault does in Electron.
 */
async function routeRequest(route: Route): Promise<void> {
  const request = route.request();
  const url = request.url();
  if (request.isNavigationRequest() && request.frame() === request.frame().page().mainFrame() && !isNavigationAllowed(url, TEST_ORIGIN)) {
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

async function installBridge(page: Page, services: Services, logs: string[], bridgeScript: string): Promise<() => void> {
  const dispatcher = createDispatcher({
    handlers: createHandlerTable(services),
    allowedOrigin: TEST_ORIGIN,
    logger: createLogger('debug', (line) => logs.push(line)),
  });
  await page.exposeBinding('__earmarkInvoke', ({ frame }, channel: unknown, payload: unknown) =>
    dispatcher.invoke({ frameUrl: frame.url(), fromOwnWindow: true }, String(channel), payload).then(toWire),
  );
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

export const test = base.extend<{ app: AppHarness }, { bridgeScript: string }>({
  bridgeScript: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
    async ({}, use) => {
      await use(await buildBridge());
    },
    { scope: 'worker' },
  ],
  app: async ({ page, bridgeScript }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'earmark-e2e-'));
    const logs: string[] = [];
    const services = createServices({
      dataDir,
      appVersion: '0.0.0-e2e',
      logger: createLogger('warn', (l) => logs.push(l)),
      keyStore: testKeyStore(dataDir),
      resourcesDir: RESOURCES_DIR,
    });
    const stopEvents = await installBridge(page, services, logs, bridgeScript);
    try {
      await use({
        services,
        dataDir,
        logs,
        open: async ({ demo = true } = {}) => {
          if (demo) {
            services.demo.ensureDemoBatch();
          }
          await page.goto(`${TEST_ORIGIN}/index.html`);
          await page.getByRole('banner').waitFor();
        },
      });
    } finally {
      stopEvents();
      services.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';
