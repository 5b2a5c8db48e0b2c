import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importWorkerFiles } from '../../../../main/services/import/import-worker-files';
import type { CheckpointerData, CheckpointerMessage } from '../../../../main/services/import/import-protocol';
import { makeTempDir } from '../../../support/temp-dir';

/**
 * Runs the checkpointer thread through `messages`, the last of them `exit`, and gives its exit
 * code. `closing` is the flag main sets as the services close.
 */
async function runCheckpointer(messages: CheckpointerMessage[], closing: boolean): Promise<number> {
  const flag = new SharedArrayBuffer(4);
  Atomics.store(new Int32Array(flag), 0, closing ? 1 : 0);
  const data: CheckpointerData = { closing: flag };
  const thread = new Worker((await importWorkerFiles()).checkpointer, { workerData: data });
  for (const m of messages) {
    thread.postMessage(m);
  }
  const [code] = (await once(thread, 'exit')) as [number];
  return code;
}

describe('vault: the import checkpointer thread', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir('earmark-ckpt-');
  });
  afterEach(() => tmp.remove());

  it('never creates a database that is not there, and ends when asked', async () => {
    const gone = join(tmp.dir, 'gone.db');
    const code = await runCheckpointer(
      [{ kind: 'open', dbFile: gone }, { kind: 'checkpoint' }, { kind: 'exit' }],
      false,
    );
    expect(code).toBe(0);
    expect(existsSync(gone)).toBe(false);
    expect(existsSync(`${gone}-wal`)).toBe(false);
  });

  it('opens nothing once the services are closing, so queued work leaves a folder alone', async () => {
    // An empty file becomes a database (a header page) as soon as a connection sets its pragmas.
    const opened = join(tmp.dir, 'opened.db');
    const skipped = join(tmp.dir, 'skipped.db');
    writeFileSync(opened, '');
    writeFileSync(skipped, '');

    expect(await runCheckpointer([{ kind: 'open', dbFile: opened }, { kind: 'exit' }], false)).toBe(0);
    expect(
      await runCheckpointer([{ kind: 'open', dbFile: skipped }, { kind: 'checkpoint' }, { kind: 'exit' }], true),
    ).toBe(0);

    expect(statSync(opened).size).toBeGreaterThan(0);
    expect(statSync(skipped).size).toBe(0);
    expect(existsSync(`${skipped}-wal`)).toBe(false);
  });
});
