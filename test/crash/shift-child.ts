/**
 * The crash test's child: the real main-process services working through a scripted shift until
 * the parent SIGKILLs it. Run as `node --import tsx shift-child.ts DATA_DIR WORK_DIR`.
 *
 * It imports the batch once (a restart finds it and resumes), then types into clips a key at a
 * time, 20–50 ms apart with now and then a pause, through the review screen's own draft saver
 * (a save 250 ms after the last key), submits, sometimes amends at once, moves on, and now and
 * then escalates. With a kill point set (kill-points.ts) it kills itself inside that write. Before each submit it sends that clip's timing events, as the review
 * screen does. Around every service call it writes a `begin` line and, once the call
 * has returned, an `ack` line (see protocol.ts): the parent's acknowledgement log.
 */
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../../main/log/logger';
import { createServices } from '../../main/services';
import { dispositions, escalationCategories, type AnnotationBody } from '../../shared/domain/annotation';
import { writeTestPackage } from '../support/packages';
import { testKeyStore } from '../support/test-safe-storage';
import { createDraftSaver } from '../../renderer/review/draft-saver';
import { installKillPoint, type KillHook } from './kill-points';
import { createPrng } from './prng';
import {
  CRASH_BATCH_ID,
  CRASH_CLIPS,
  KILL_POINT_ENV,
  SECRET_ENV,
  SEED_ENV,
  type AckResult,
  type ChildLine,
  type KillPoint,
  type Op,
} from './protocol';

/** A child the parent forgot (or that lost its parent) must not run forever. */
const MAX_LIFETIME_MS = 60_000;
/** Past this a new revision's transcript is retyped from scratch, to keep lines short. */
const MAX_TEXT = 1_000;
const WORDS = [
  'turn',
  'on',
  'the',
  'kitchen',
  'lights',
  'call',
  'mum',
  'café',
  'straße',
  'timer',
  'ten',
  'minutes',
  'play',
  'jazz',
  'weather',
];

/** Synchronous, so a line is in the pipe before the next call starts, whatever kills us later. */
const emit = (line: ChildLine): void => {
  writeSync(1, `${JSON.stringify(line)}\n`);
};

async function main(): Promise<void> {
  const [dataDir, workDir] = process.argv.slice(2);
  const secret = process.env[SECRET_ENV];
  if (!dataDir || !workDir || !secret) {
    throw new Error(`usage: shift-child.ts DATA_DIR WORK_DIR, with ${SECRET_ENV} set`);
  }
  const rng = createPrng(Number(process.env[SEED_ENV] ?? Date.now()));
  const point = process.env[KILL_POINT_ENV];
  const hook: KillHook | undefined = point
    ? installKillPoint(JSON.parse(point) as KillPoint, (where) => {
        emit({ kind: 'kill', op: (JSON.parse(point) as KillPoint).op, ...where, t: Date.now() });
      })
    : undefined;
  const services = createServices({
    dataDir,
    appVersion: '0.0.0-crash',
    logger: silentLogger,
    keyStore: testKeyStore(dataDir, { sharedSecret: secret }),
  });
  const { annotations } = services;

  let seq = 0;
  const run = <T extends AckResult>(op: Op, call: () => T): T => {
    const s = seq;
    seq += 1;
    emit({ kind: 'begin', seq: s, op, t: Date.now() });
    hook?.setOperation(op.type);
    const result = call();
    hook?.setOperation('between');
    emit({
      kind: 'ack',
      seq: s,
      op: op.type,
      ...('clipId' in op ? { clipId: op.clipId } : {}),
      ...result,
      t: Date.now(),
    });
    return result;
  };

  const resumed = services.batches.list().some((b) => b.id === CRASH_BATCH_ID);
  if (!resumed) {
    const file = join(workDir, 'batch.earmark');
    writeTestPackage(file, {
      recipient: services.vault.deviceKey().publicKey,
      batchId: CRASH_BATCH_ID,
      clips: CRASH_CLIPS.map((id) => ({ id })),
    });
    run({ type: 'import' }, () => {
      services.vault.importPackage(file);
      return {};
    });
  }
  emit({ kind: 'ready', batchId: CRASH_BATCH_ID, resumed, t: Date.now() });
  hook?.setOperation('between');

  // One run of the renderer's clock per child, as a page load would be.
  const epoch = `crash-${process.pid}-${Date.now()}`;
  let timingSeq = 0;
  let pending = '';
  const nextKey = (): string => {
    if (pending === '') {
      pending = `${rng.pick(WORDS)} `;
    }
    const key = pending.charAt(0);
    pending = pending.slice(1);
    return key;
  };
  const body = (text: string, critical: boolean): AnnotationBody => ({
    transcript: text,
    critical: critical ? [{ start: 0, end: Math.min(4, text.length), category: 'phone' }] : [],
    entities: [],
  });

  const current = annotations.state(CRASH_BATCH_ID).currentClipId;
  for (
    let visit = Math.max(
      0,
      CRASH_CLIPS.findIndex((c) => c === current),
    );
    ;
    visit += 1
  ) {
    const clipId = CRASH_CLIPS[visit % CRASH_CLIPS.length] as string;
    run({ type: 'position', clipId }, () => {
      annotations.setPosition(CRASH_BATCH_ID, clipId);
      return {};
    });
    const work = annotations.work(CRASH_BATCH_ID, clipId);
    let basedOn = work.latest?.revision ?? 0;
    let text = work.draft?.transcript ?? work.latest?.transcript ?? '';
    let draftStarted = work.draft !== null;
    // Submit, and now and then amend straight away.
    for (let pass = rng.next() < 0.4 ? 2 : 1; pass > 0; pass -= 1) {
      if (!draftStarted && text.length > MAX_TEXT) {
        text = '';
      }
      const draftBasedOn = basedOn;
      const saver = createDraftSaver(
        (job) => {
          const typed = job.body.transcript;
          run({ type: 'draft', clipId, basedOn: draftBasedOn, text: typed }, () => {
            annotations.saveDraft(CRASH_BATCH_ID, clipId, draftBasedOn, job.body);
            return { length: typed.length };
          });
          return Promise.resolve({ ok: true, value: null });
        },
        () => undefined,
      );
      for (let keys = rng.int(2, 12); keys > 0; keys -= 1) {
        text += nextKey();
        saver.schedule({
          ref: { batchId: CRASH_BATCH_ID, clipId },
          basedOnRevision: draftBasedOn,
          body: body(text, false),
          disposition: null,
        });
        draftStarted = true;
        // Now and then the reviewer stops to listen, and the debounced save goes out.
        await sleep(rng.next() < 0.45 ? rng.int(260, 400) : rng.int(20, 50));
      }
      // The submit supersedes the draft still waiting, as on the review screen.
      saver.cancel();
      await saver.settled();
      // What the review screen records before a submit; main must keep every event it acknowledged.
      const events = (['shown', 'play', 'heard', 'edit', 'submit'] as const).map((kind) => ({
        seq: timingSeq++,
        t: performance.now(),
        kind,
        batchId: CRASH_BATCH_ID,
        clipId,
      }));
      run({ type: 'timing', clipId, epoch, seqs: events.map((e) => e.seq) }, () => ({
        accepted: services.timing.record({ epoch, sentAt: performance.now(), events }).accepted,
      }));
      const critical = rng.next() < 0.2;
      const submit = { type: 'submit', clipId, basedOn, text, disposition: rng.pick(dispositions), critical } as const;
      const saved = run(submit, () => {
        const a = annotations.submit({
          batchId: CRASH_BATCH_ID,
          clipId,
          basedOnRevision: submit.basedOn,
          disposition: submit.disposition,
          body: body(submit.text, critical),
        });
        return { revision: a.revision, opId: a.opId };
      });
      basedOn = saved.revision;
      draftStarted = false;
    }
    if (rng.next() < 0.1) {
      const category = rng.pick(escalationCategories);
      run({ type: 'escalate', clipId, category }, () => ({
        id: annotations.escalate({ batchId: CRASH_BATCH_ID, clipId, category, note: 'crash-test note' }).id,
      }));
    }
  }
}

setTimeout(() => process.exit(3), MAX_LIFETIME_MS).unref();
// The parent holds our stdin open; when it goes away, so do we.
process.stdin.on('end', () => process.exit(4));
process.stdin.resume();
main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
