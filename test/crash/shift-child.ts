/**
 * The crash test's child: the real main-process services working through a scripted shift until
 * the parent SIGKILLs it. Run as `node --import tsx shift-child.ts DATA_DIR WORK_DIR`.
 *
 * It imports the batch once (a restart finds it and resumes), then types into clips a key at a
 * time, 20–50 ms apart with now and then a pause, through the review screen's own draft saver
 * (a save 250 ms after the last key), submits, sometimes amends at once, moves on, and now and
 * then escalates. Between clips it now and then locks and unlocks with its PIN (now and then a
 * wrong one first), sends the outbox to a stand-in service that records what it stored in a file,
 * or imports a small side batch, submits on it, and erases it the next time. With a kill point
 * set (kill-points.ts) it kills itself inside that write. Before each submit it sends that clip's
 * timing events, as the review screen does. Around every service call it writes a `begin` line
 * and, once the call has returned, an `ack` line (see protocol.ts): the parent's acknowledgement log.
 */
import { appendFileSync, existsSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { silentLogger } from '../../main/log/logger';
import { createServices } from '../../main/services';
import { dispositions, escalationCategories, type AnnotationBody } from '../../shared/domain/annotation';
import { writeTestPackage } from '../support/packages';
import { testKeyStore } from '../support/test-safe-storage';
import { createDraftSaver } from '../../renderer/review/draft-saver';
import { openConnection } from '../../main/db/connection';
import { createOutboxRepository } from '../../main/db/repositories/outbox.repository';
import { drainOutbox } from '../../main/services/sync/outbox-sender';
import { createSyncHttp } from '../../main/services/sync/sync-http';
import { installKillPoint, type KillHook } from './kill-points';
import { createPrng } from './prng';
import {
  CRASH_BATCH_ID,
  CRASH_CLIPS,
  CRASH_PIN,
  KILL_POINT_ENV,
  SERVED_FILE,
  SIDE_CLIPS,
  SIDE_PREFIX,
  SECRET_ENV,
  SEED_ENV,
  type AckResult,
  type ChildLine,
  type KillPoint,
  type Op,
  type ServedLine,
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
  const killPoint = point ? (JSON.parse(point) as KillPoint) : undefined;
  const hook: KillHook | undefined = killPoint
    ? installKillPoint(killPoint, (where) => {
        emit({ kind: 'kill', op: killPoint.op, ...where, t: Date.now() });
      })
    : undefined;
  const keyStore = testKeyStore(dataDir, { sharedSecret: secret });
  // The sealed state's anchor is a file beside the device key: writing it is a kill point too.
  const writeAnchor = keyStore.writeStateAnchor.bind(keyStore);
  keyStore.writeStateAnchor = (text) => {
    writeAnchor(text);
    hook?.wrote('WRITE state anchor');
  };
  const services = createServices({ dataDir, appVersion: '0.0.0-crash', logger: silentLogger, keyStore });
  const { annotations } = services;
  /** An operation the kill point names comes often, so the kill lands before the fallback. */
  const chance = (op: Op['type'], base: number): boolean => rng.next() < (killPoint?.op === op ? 0.7 : base);

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

  const runAsync = async <T extends AckResult>(op: Op, call: () => Promise<T>): Promise<T> => {
    const s = seq;
    seq += 1;
    emit({ kind: 'begin', seq: s, op, t: Date.now() });
    hook?.setOperation(op.type);
    const result = await call();
    hook?.setOperation('between');
    emit({ kind: 'ack', seq: s, op: op.type, ...result, t: Date.now() });
    return result;
  };

  // The stand-in annotation service: it keeps every op id it stored in a file, before answering.
  const servedFile = join(workDir, SERVED_FILE);
  const served = new Set(
    existsSync(servedFile)
      ? readFileSync(servedFile, 'utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => (JSON.parse(l) as ServedLine).opId)
      : [],
  );
  const standIn = (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const { ops } = JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { ops: { opId: string }[] };
    const results = ops.map((op) => {
      const duplicate = served.has(op.opId);
      served.add(op.opId);
      const line: ServedLine = { opId: op.opId, pid: process.pid, duplicate };
      appendFileSync(servedFile, `${JSON.stringify(line)}\n`);
      return {
        opId: op.opId,
        outcome: duplicate ? 'duplicate' : 'stored',
        code: duplicate ? 'duplicate' : 'stored',
        status: duplicate ? 200 : 201,
        result: { serverSeq: served.size, receivedAt: Date.now() },
      };
    });
    return Promise.resolve(Response.json({ results }));
  };
  const http = createSyncHttp({ baseUrl: 'http://stand-in.invalid', fetch: standIn });
  const connection = openConnection(join(dataDir, 'earmark.db'));
  const outbox = createOutboxRepository(connection);
  const author = services.session.get().identity.pseudonym;

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
  // Sent as a batch checked out from the service would be (only those are sendable).
  connection
    .prepare("INSERT OR IGNORE INTO sync_batches (batch_id, source, service_status) VALUES (?, 'checkout', 'active')")
    .run(CRASH_BATCH_ID);
  emit({ kind: 'ready', batchId: CRASH_BATCH_ID, resumed, t: Date.now() });
  hook?.setOperation('between');
  if (services.lock.state().locked) {
    // A PIN is set: the app starts locked, and the reviewer unlocks first.
    await runAsync({ type: 'lock', step: 'unlock', wrong: false }, async () => {
      await services.lock.unlock(CRASH_PIN);
      return {};
    });
  }

  /** Now and then, between clips: a lock, a send, a side batch worked on or erased. */
  const aside = async (): Promise<void> => {
    if (chance('lock', 0.08)) {
      const first = services.lock.state().methods.includes('none');
      const wrong = !first && rng.next() < 0.5;
      await runAsync({ type: 'lock', step: first ? 'pin' : 'cycle', wrong }, async () => {
        if (first) {
          await services.lock.setPin(CRASH_PIN);
          return {};
        }
        services.lock.lock('manual');
        if (wrong) {
          await services.lock.unlock('0000').catch(() => undefined);
        }
        await services.lock.unlock(CRASH_PIN);
        return {};
      });
    }
    if (chance('send', 0.25)) {
      await runAsync({ type: 'send' }, async () => ({
        acked: (await drainOutbox({ outbox, annotations, http, now: () => Date.now() }, 'crash-token', author)).acked,
      }));
    }
    if (chance('erase', 0.06) || chance('side', 0.06)) {
      const sides = services.batches.list().filter((b) => b.id.startsWith(SIDE_PREFIX));
      const open = sides.find((b) => b.status === 'active');
      if (open) {
        run({ type: 'erase', batchId: open.id }, () => {
          services.vault.revoke(open.id);
          return {};
        });
      } else {
        const batchId = `${SIDE_PREFIX}${String(sides.length + 1).padStart(4, '0')}`;
        const file = join(workDir, 'side.earmark');
        writeTestPackage(file, {
          recipient: services.vault.deviceKey().publicKey,
          batchId,
          clips: SIDE_CLIPS.map((id) => ({ id })),
        });
        run({ type: 'side', batchId }, () => {
          services.vault.importPackage(file);
          const a = annotations.submit({
            batchId,
            clipId: SIDE_CLIPS[0],
            basedOnRevision: 0,
            disposition: 'transcribed',
            body: { transcript: 'side batch', critical: [], entities: [] },
          });
          return { opId: a.opId };
        });
      }
    }
  };

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
    await aside();
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
