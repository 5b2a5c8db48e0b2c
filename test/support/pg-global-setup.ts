/**
 * Vitest global setup of the `service-pg` project: one throwaway PostgreSQL cluster for the whole
 * run, its admin URL handed to the tests (`inject('earmarkPgAdminUrl')`), each of which makes
 * databases of its own on it; stopped and removed when the run ends, passed or failed.
 */
import type { TestProject } from 'vitest/node';
import { startPgCluster } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The URL of the `postgres` database of the run's cluster, to create test databases from. */
    earmarkPgAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPgCluster();
  project.provide('earmarkPgAdminUrl', cluster.url('postgres'));
  return () => cluster.stop();
}
