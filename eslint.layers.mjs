// @ts-check
/**
 * The layers of the repository (DESIGN §2) and what each may import, for eslint-plugin-boundaries.
 * Each source folder is one element; each element has one allow-list, and everything not on it
 * (another folder, a Node builtin, a package) is refused. Within main/, the order is
 * app → ipc → services → db; report, policy, log and crypto sit below services. A file in
 * no element is an error (boundaries/no-unknown-files); a new main/ subfolder falls under
 * main-entry's short list until it is given a row of its own.
 */

/** @param {string} type @param {string} folder the element is every file under it */
const element = (type, folder) => ({ type, pattern: folder, partialMatch: false });

/** Most specific first: a file belongs to the first element whose pattern matches it. */
export const layerElements = [
  ...['app', 'ipc', 'services', 'db', 'crypto', 'report', 'policy', 'log'].map((name) =>
    element(`main-${name}`, `main/${name}`),
  ),
  // After the subfolders above: the files directly in main/ (index.ts).
  element('main-entry', 'main'),
  element('preload', 'preload'),
  element('renderer', 'renderer'),
  element('shared', 'shared'),
  element('core', 'core'),
  element('service-routes', 'service/routes'),
  element('service-store', 'service/store'),
  element('service', 'service'),
  element('tools', 'tools'),
  element('bench', 'bench'),
  element('scripts', 'scripts'),
  element('build', 'build'),
  element('test', 'test'),
];

/** @param {string[]} types */
const layers = (...types) => ({ element: { type: types } });
/** Node builtins (`node:fs`, `fs`, …). */
const node = { module: { origin: 'core' } };
/** @param {string[]} names packages from node_modules */
const packages = (...names) => ({ module: { origin: 'external', source: names } });
/** Every package. */
const anyPackage = { module: { origin: 'external' } };

/** @param {string} from element type @param {object[]} allowed entity selectors */
const layer = (from, allowed) => ({ from: { element: { type: from } }, allow: { to: allowed } });

export const layerPolicies = [
  // shared/ is pure TypeScript: shared/ and zod only.
  layer('shared', [packages('zod')]),
  // core/ is plain Node that the app, the service and the tools share: no Electron, no database.
  layer('core', [layers('shared'), node, packages('zod')]),

  // main/index.ts only starts the shell.
  layer('main-entry', [layers('main-app', 'main-log'), node, packages('electron')]),
  // The shell wires ipc, services and the lower layers; never renderer/, preload/ or service/.
  layer('main-app', [
    layers('main-ipc', 'main-services', 'main-crypto', 'main-policy', 'main-log', 'core', 'shared'),
    node,
    packages('electron'),
  ]),
  // IPC checks and calls services; it never reaches up into main/app.
  layer('main-ipc', [layers('main-services', 'main-log', 'shared'), packages('electron', 'zod')]),
  // Services are plain Node (no electron: the shell injects it) and never import ipc or app.
  layer('main-services', [
    layers('main-db', 'main-crypto', 'main-report', 'main-policy', 'main-log'),
    layers('core', 'shared'),
    node,
    packages('zod'),
  ]),
  // Repositories hold the SQL and never import services, ipc or app.
  layer('main-db', [layers('main-log', 'core', 'shared'), node, packages('better-sqlite3', 'zod')]),
  // The lower layers below services.
  layer('main-crypto', [layers('core', 'shared'), node]),
  layer('main-report', [layers('shared')]),
  layer('main-policy', [layers('main-log', 'shared'), node, packages('zod', 'koffi')]),
  layer('main-log', [node]),

  // The sandboxed preload: shared/ and electron (which names: see eslint.config.mjs).
  layer('preload', [layers('shared'), packages('electron')]),
  // The renderer talks to main only through window.reviewer; from preload/ it takes types only.
  layer('renderer', [
    layers('shared'),
    packages('react', 'react-dom', 'react-i18next', 'i18next', 'zustand', 'howler'),
  ]),
  { from: { element: { type: 'renderer' } }, allow: { to: layers('preload'), dependency: { kind: 'type' } } },

  // The reference service: its own process and database, never main/ or renderer/.
  layer('service', [layers('service-routes', 'service-store', 'core', 'shared'), node, packages('zod', 'otpauth')]),
  // Its metrics (Prometheus) and JSON logs, for operators.
  layer('service', [packages('prom-client', 'pino')]),
  layer('service-routes', [layers('service', 'service-store', 'core', 'shared'), node, packages('zod')]),
  // Only the store opens the service's database.
  layer('service-store', [layers('core', 'shared'), node, packages('better-sqlite3', 'pg')]),

  // Operator CLIs run on core/ and shared/ only.
  layer('tools', [layers('core', 'shared'), node]),

  // The bench drives the app through main/services (and the built renderer through a browser);
  // the load test prepares the service's store before starting the service on it, as an operator would.
  layer('bench', [
    layers('main-services', 'main-crypto', 'main-log', 'core', 'shared', 'service', 'service-store', 'test'),
    node,
    anyPackage,
  ]),
  // Scripts and build hooks are standalone Node.
  layer('scripts', [node, anyPackage]),
  layer('build', [node, anyPackage]),
  // Tests reach whatever they test.
  { from: { element: { type: 'test' } }, allow: { to: [{ element: { type: '*' } }, node, anyPackage] } },
];
