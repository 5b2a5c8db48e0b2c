/**
 * `npm run service` on a store other processes share: the fault switch lives in the store, so a
 * process starting without `--fault` leaves it as the others set it; only an explicit `--fault`
 * (`none` included) changes it. On both stores, each process its own (test/support/test-store.ts).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { testBatchId } from '../support/ids';
import { prepareServiceStore, startServiceProcess, type ServiceProcess } from '../support/service-process';
import { makeTempDir } from '../support/temp-dir';
import { newTestStoreTarget, openTestStoreAt, runOnTestStore, type TestStoreTarget } from '../support/test-store';

/** Four processes start under tsx, each compiling first: slow on a loaded machine, and only a hang should fail. */
const START_LIMIT_MS = 240_000;

describe('service process start', () => {
  const procs: ServiceProcess[] = [];
  let tmp: ReturnType<typeof makeTempDir> | undefined;
  afterEach(async () => {
    await Promise.all(procs.splice(0).map((p) => p.stop()));
    tmp?.remove();
    tmp = undefined;
  });

  const switchOf = (target: TestStoreTarget) =>
    runOnTestStore<{ fault: string; every: number }>(target, 'SELECT fault, every FROM fault_switch', []);

  it(
    'leaves the shared fault switch alone unless given --fault',
    async () => {
      tmp = makeTempDir('earmark-main-');
      const target = await newTestStoreTarget(join(tmp.dir, 'service.db'));
      await prepareServiceStore(tmp.dir, testBatchId(61), 1, await openTestStoreAt(target));
      const store = 'pgUrl' in target ? ['--database', target.pgUrl] : [];
      const start = async (args: readonly string[]): Promise<void> => {
        procs.push(await startServiceProcess(tmp?.dir ?? '', 0, [...store, ...args]));
      };

      await start(['--fault', 'rate_limit', '--every', '4']);
      expect(await switchOf(target)).toEqual([{ fault: 'rate_limit', every: 4 }]);
      // Two more processes joining the first, one that plays the switch and one that does not.
      await Promise.all([start(['--play-faults']), start([])]);
      expect(await switchOf(target)).toEqual([{ fault: 'rate_limit', every: 4 }]);
      // Asked explicitly, a process still switches faults off for everyone.
      await start(['--fault', 'none']);
      expect(await switchOf(target)).toEqual([{ fault: 'none', every: 2 }]);
    },
    START_LIMIT_MS,
  );
});
