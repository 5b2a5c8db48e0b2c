import { silentLogger } from '../../main/log/logger';
import { createServices, type Services } from '../../main/services';
import { makeTempDir } from './temp-dir';
import { testKeyStore } from './test-safe-storage';

export type ServicesEnv = {
  readonly services: Services;
  readonly dataDir: string;
  /** Closes the services and opens new ones over the same folder, as a restart would. */
  reopen(): Services;
  dispose(): void;
};

/** Real main-process services over a private temporary data folder. */
export function makeServices(): ServicesEnv {
  const tmp = makeTempDir('earmark-svc-');
  const open = (): Services => createServices({ dataDir: tmp.dir, appVersion: '0.0.0-test', logger: silentLogger, keyStore: testKeyStore(tmp.dir) });
  let current = open();
  return {
    get services() {
      return current;
    },
    dataDir: tmp.dir,
    reopen() {
      current.close();
      current = open();
      return current;
    },
    dispose() {
      current.close();
      tmp.remove();
    },
  };
}
