import { join } from 'node:path';

/**
 * better-sqlite3 is built twice: node_modules keeps the build for Node (tests), and
 * `npm start` builds a copy for Electron's ABI under `.native/`. Packaged apps carry their own
 * Electron build, so they need no override.
 */
export function electronNativeBinding(
  appRoot: string,
  electronVersion: string,
  isPackaged: boolean,
): string | undefined {
  if (isPackaged) {
    return undefined;
  }
  return join(appRoot, '.native', `electron-${electronVersion}`, 'better_sqlite3.node');
}
