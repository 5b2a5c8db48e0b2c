import type { AppInfo } from '../../shared/domain/app-info';
import { latestVersion } from '../db/migrate';

/** Answers what build is running. */
export function createAppInfoService(version: string) {
  const info: AppInfo = { name: 'Earmark', version, schemaVersion: latestVersion() };
  return {
    getInfo: (): AppInfo => info,
  };
}

export type AppInfoService = ReturnType<typeof createAppInfoService>;
