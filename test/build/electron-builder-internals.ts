/**
 * electron-builder's own configuration loader, schema check and fuse code, loaded from the copy
 * the `electron-builder` devDependency uses. The tests read the configuration exactly as a build
 * would (YAML, `extends`, merging), instead of re-implementing any of it.
 */
import type { Configuration } from 'electron-builder';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const projectDir = join(__dirname, '..', '..');

const requireFromBuilder = createRequire(
  createRequire(join(projectDir, 'package.json')).resolve('electron-builder/package.json'),
);
const requireFromLib = createRequire(requireFromBuilder.resolve('app-builder-lib/package.json'));

type ConfigModule = {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Configuration>;
  validateConfiguration(config: Configuration, debugLogger: { isEnabled: boolean; add(): void }): Promise<void>;
};

/** The fuse config electron-builder hands to @electron/fuses: wire index → on/off. */
export type FuseWireConfig = Record<number, boolean | undefined> & { version: string };

type PackagerPrototype = {
  generateFuseConfig(fuses: NonNullable<Configuration['electronFuses']>): Promise<FuseWireConfig>;
  addElectronFuses(
    this: { appInfo: { productFilename: string } },
    context: { appOutDir: string; electronPlatformName: string },
    fuses: FuseWireConfig,
  ): Promise<number>;
};

// The package index first: requiring platformPackager alone trips a circular import.
const lib = requireFromBuilder('app-builder-lib') as { PlatformPackager: { prototype: PackagerPrototype } };
const configModule = requireFromBuilder('app-builder-lib/out/util/config/config') as ConfigModule;

/** @electron/fuses as electron-builder resolves it. */
export const fuses = requireFromLib('@electron/fuses') as {
  FuseV1Options: Record<string, number | string>;
  getCurrentFuseWire(path: string): Promise<Record<number, number>>;
};

/** The effective configuration of `file` (relative to the project), `extends` resolved. */
export const loadConfig = (file: string): Promise<Configuration> => configModule.getConfig(projectDir, file, null);

/** Rejects when electron-builder's JSON schema rejects the configuration. */
export const validateConfig = (config: Configuration): Promise<void> =>
  configModule.validateConfiguration(config, { isEnabled: false, add: () => undefined });

/** What electron-builder will pass to @electron/fuses for this configuration. */
export const fuseWireConfig = (config: Configuration): Promise<FuseWireConfig> => {
  if (!config.electronFuses) {
    throw new Error('the configuration sets no electronFuses');
  }
  return lib.PlatformPackager.prototype.generateFuseConfig(config.electronFuses);
};

/** electron-builder's own "flip the fuses in the packaged binary" step, run on a Windows layout. */
export const flipWindowsFuses = (appOutDir: string, productFilename: string, wire: FuseWireConfig): Promise<number> =>
  lib.PlatformPackager.prototype.addElectronFuses.call(
    { appInfo: { productFilename } },
    { appOutDir, electronPlatformName: 'win32' },
    wire,
  );
