import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writePackage } from '../../../../core/package/package-writer';
import { CLI_SOURCE } from '../../../../service/audit';
import { assignBatch } from '../../../../service/batch-admin';
import { handOver } from '../../../../service/hand-over';
import { addBatch, DEMO_REVIEWER } from '../../../../service/seed';
import { silentClips } from '../../../support/packages';
import { SECOND_REVIEWER } from '../../../support/second-reviewer';
import { makeServices, queryDb, serviceError, type ServicesEnv } from '../../../support/services';
import { startTestService, type TestService } from '../../../support/reference-service';

const BATCH = 'b-AAAAAAAAAAWR1TER';
const BATCH_B = 'b-BBBBBBBBBBWR1TER';
const clip = (n: number): string => `c-AAAAAAAAAAAA000${n}`;
const REVIEWER_B = SECOND_REVIEWER;

const urlOf = (input: string | URL | Request): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

describe('one workstation, two reviewers', () => {
  let svc: TestService;
  let ws: ServicesEnv;
  let reachable: boolean;
  /** Audit uploads the service answered; past a bound the service stops answering them. */
  let auditUploads: number;
  /** While true, the batch list cannot be asked: the first cycle after a sign-in cannot finish. */
  let batchListDown: boolean;
  /** While set, a cycle's ask for the batch list waits for it before going out. */
  let batchListHeld: Promise<void> | null;
  /** Annotation uploads asked of the service. */
  let annotationUploads: number;

  beforeEach(async () => {
    svc = await startTestService();
    await svc.addAccount(REVIEWER_B, { maxDevices: 4 });
    await svc.addBatch(BATCH, 6);
    reachable = true;
    auditUploads = 0;
    batchListDown = false;
    batchListHeld = null;
    annotationUploads = 0;
    ws = makeServices({
      serviceUrl: svc.url,
      sync: {
        // Waits never fire: each cycle is one the test asks for.
        timers: { setTimeout: () => ({}), clearTimeout: () => undefined },
        fetch: async (input, init) => {
          if (batchListHeld && urlOf(input).includes('/v1/batches?')) {
            await batchListHeld;
          }
          if (urlOf(input).includes('/v1/audit-events') && ++auditUploads > 20) {
            return Promise.reject(new TypeError('fetch failed'));
          }
          if (urlOf(input).includes('/v1/annotations')) {
            annotationUploads += 1;
          }
          const down = !reachable || (batchListDown && urlOf(input).includes('/v1/batches?'));
          return down ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
        },
      },
    });
  });
  afterEach(async () => {
    ws.dispose();
    await svc.stop();
  });

  const s = () => ws.services;
  const signInA = () => s().sync.signIn(svc.credentials());
  const signInB = async () =>
    s().sync.signIn({
      account: REVIEWER_B.account,
      password: REVIEWER_B.password,
      totp: svc.nextCode(REVIEWER_B),
      enrolmentCode: await svc.issueEnrolmentCode(REVIEWER_B.account),
    });
  const body = (transcript: string) => ({ transcript, critical: [], entities: [] });
  /** The batches the signed-in reviewer is shown, with their status. */
  const listed = () =>
    s()
      .batches.list()
      .map((x) => [x.id, x.status]);
  const submit = (batchId: string, clipId: string, text: string) =>
    s().annotations.submit({ batchId, clipId, basedOnRevision: 0, disposition: 'transcribed', body: body(text) });
  const storedOps = (account: string) =>
    svc.query<{ kind: string }>('SELECT kind FROM ops WHERE account = ? ORDER BY seq', account);
  /** A package of the batch for this workstation, sealed as B's (as the service makes one after a hand-over). */
  const packageForB = (): string => {
    const file = join(ws.dataDir, 'handed-over.earmark');
    writePackage(file, {
      batchId: BATCH,
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 86_400_000),
      locale: 'en-US',
      recipient: s().vault.deviceKey().publicKey,
      clips: silentClips(2),
      assignedTo: REVIEWER_B.pseudonym,
    });
    return file;
  };
  /**
   * Reviewer A checks the batch out and works: one revision synced, then (the service out of
   * reach) a revision, a draft and an escalation that are not; then A signs out.
   */
  const aWorksAndLeaves = async (): Promise<void> => {
    await signInA();
    await s().sync.syncNow();
    submit(BATCH, clip(0), 'synced by A');
    await s().sync.syncNow();
    reachable = false;
    submit(BATCH, clip(1), 'unsynced by A');
    s().annotations.saveDraft(BATCH, clip(2), 0, body('draft of A'), null);
    s().annotations.escalate({ batchId: BATCH, clipId: clip(3), category: 'other', note: 'note of A' });
    expect((await s().sync.syncNow()).pending).toBe(2);
    await s().sync.signOut();
    reachable = true;
  };
  const outbox = () =>
    queryDb<{ kind: string; author: string; state: string; audit_type: string | null }>(
      ws.dataDir,
      'SELECT kind, author, state, audit_type FROM outbox ORDER BY seq',
    );

  it('parks an audit event the service refuses once, without auditing the refusal in turn', async () => {
    await signInA();
    await s().sync.syncNow();
    // An operator moves the batch to another reviewer: the erasure's audit event names a batch
    // that is no longer this reviewer's, and the service answers it with `not_assigned`.
    await handOver(svc.service.core, { batchId: BATCH, kind: 'forced', actor: 'ops', source: CLI_SOURCE });
    await assignBatch(svc.service.core, { operator: 'ops', source: CLI_SOURCE }, BATCH, REVIEWER_B.account);
    const status = await s().sync.syncNow();
    expect(
      s()
        .batches.list()
        .map((b) => b.status),
    ).toEqual(['revoked']);
    expect(status.needsAttention.map((n) => [n.kind, n.batchId, n.code])).toEqual([['audit', BATCH, 'not_assigned']]);
    expect(status.connection).toBe('online');
    expect(auditUploads).toBeLessThan(5);
    expect(outbox().filter((r) => r.audit_type === 'op_needs_attention')).toEqual([]);
  });

  it("shows the next reviewer none of the last one's batches or work before their first sync", async () => {
    await aWorksAndLeaves();
    batchListDown = true;
    await signInB();
    expect((await s().sync.syncNow()).connection).toBe('offline');
    expect(s().session.get().identity.pseudonym).toBe(REVIEWER_B.pseudonym);

    expect(s().batches.list()).toEqual([]);
    const hidden = [
      () => s().batches.get(BATCH),
      () => s().vault.listClips(BATCH),
      () => s().vault.openClip(BATCH, clip(0)),
      () => s().annotations.state(BATCH),
      () => s().annotations.work(BATCH, clip(2)),
      () => s().annotations.history(BATCH, clip(0)),
      () => s().annotations.setPosition(BATCH, clip(4)),
      () => s().annotations.saveDraft(BATCH, clip(4), 0, body('by B'), null),
      () => submit(BATCH, clip(4), 'by B'),
      () => s().annotations.escalate({ batchId: BATCH, clipId: clip(4), category: 'other', note: 'by B' }),
    ];
    for (const call of hidden) {
      expect(serviceError('NOT_FOUND', call)).toBe(`No batch "${BATCH}" on this workstation.`);
    }
    expect(outbox().filter((r) => r.author === REVIEWER_B.pseudonym && r.kind !== 'audit')).toEqual([]);
  });

  it("keeps the last reviewer's batch and unsynced work through the next one's sync, for their return", async () => {
    await addBatch(svc.service.core, { batchId: BATCH_B, assignedTo: REVIEWER_B.account, clips: silentClips(2) });
    await aWorksAndLeaves();
    await signInB();
    const b = await s().sync.syncNow();
    expect(b).toMatchObject({ connection: 'online', pending: 0, needsAttention: [] });
    // B gets B's batch; A's is neither shown to B nor erased.
    expect(
      s()
        .batches.list()
        .map((x) => [x.id, x.status]),
    ).toEqual([[BATCH_B, 'active']]);
    expect(queryDb(ws.dataDir, 'SELECT id, status FROM batches ORDER BY id')).toEqual([
      { id: BATCH, status: 'active' },
      { id: BATCH_B, status: 'active' },
    ]);
    // A's unsynced work is not sent under B's session.
    expect((await storedOps(DEMO_REVIEWER.account)).filter((o) => o.kind !== 'audit')).toEqual([
      { kind: 'annotation' },
    ]);
    await s().sync.signOut();

    await signInA();
    expect(await s().sync.syncNow()).toMatchObject({ connection: 'online', pending: 0, needsAttention: [] });
    expect(listed()).toEqual([[BATCH, 'active']]);
    expect((await storedOps(DEMO_REVIEWER.account)).filter((o) => o.kind !== 'audit')).toEqual([
      { kind: 'annotation' },
      { kind: 'annotation' },
      { kind: 'escalation' },
    ]);
    // A carries on where A left off: the draft is there, and becomes a revision.
    expect(s().annotations.work(BATCH, clip(2)).draft?.transcript).toBe('draft of A');
    submit(BATCH, clip(2), 'draft of A, done');
    expect(await s().sync.syncNow()).toMatchObject({ pending: 0, needsAttention: [] });
    expect(
      await svc.query('SELECT clip_id FROM annotation_revisions WHERE batch_id = ? ORDER BY clip_id', BATCH),
    ).toEqual([{ clip_id: clip(0) }, { clip_id: clip(1) }, { clip_id: clip(2) }]);
  });

  it("sends the last reviewer's shift and timing rows in their own session, never in the next one's", async () => {
    await aWorksAndLeaves();
    const timingOf = (account: string) =>
      svc.query<{ kind: string; body: string }>(
        'SELECT kind, body FROM timing_records WHERE account = ? ORDER BY received_at, id',
        account,
      );
    const shiftOwner = (text: string): string => (JSON.parse(text) as { pseudonym: string }).pseudonym;
    await signInB();
    await s().sync.syncNow();
    // B's sync sends B's shift alone: A's shift and clip metrics are not B's to file.
    expect((await timingOf(REVIEWER_B.account)).map((r) => [r.kind, shiftOwner(r.body)])).toEqual([
      ['shift', REVIEWER_B.pseudonym],
    ]);
    await s().sync.signOut();
    await signInA();
    await s().sync.syncNow();
    const toA = await timingOf(DEMO_REVIEWER.account);
    // A's shift as it ended at A's sign-out (unsent then) is filed under A, as all of A's are.
    const shiftsOfA = toA.filter((r) => r.kind === 'shift').map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(new Set(shiftsOfA.map((x) => x.pseudonym))).toEqual(new Set([DEMO_REVIEWER.pseudonym]));
    expect(shiftsOfA.filter((x) => x.endReason === 'sign_out')).toHaveLength(1);
    // Both of A's submits are measured and filed under A, the one made out of reach too.
    expect(toA.filter((r) => r.kind === 'clip')).toHaveLength(2);
    expect(await timingOf(REVIEWER_B.account)).toHaveLength(1);
  });

  it("moves a batch an operator handed over to the next reviewer here, keeping the last one's sent work theirs", async () => {
    await aWorksAndLeaves();
    await handOver(svc.service.core, { batchId: BATCH, kind: 'forced', actor: 'ops', source: CLI_SOURCE });
    await assignBatch(svc.service.core, { operator: 'ops', source: CLI_SOURCE }, BATCH, REVIEWER_B.account);

    await signInB();
    expect(await s().sync.syncNow()).toMatchObject({ connection: 'online', pending: 0, needsAttention: [] });
    // B is given the batch in that same sync, and works on it.
    expect(listed()).toEqual([[BATCH, 'active']]);
    expect(s().vault.openClip(BATCH, clip(4)).id).toBe(clip(4));
    // Checked out to this device for B: one writer, as for any checkout.
    expect(
      await svc.query('SELECT batch_id FROM checkouts WHERE account = ? AND released_at IS NULL', REVIEWER_B.account),
    ).toEqual([{ batch_id: BATCH }]);
    // A's draft went with the move; nothing of it is B's to read or carry on.
    expect(s().annotations.work(BATCH, clip(2)).draft).toBeNull();
    expect(queryDb(ws.dataDir, 'SELECT clip_id FROM drafts WHERE batch_id = ?', BATCH)).toEqual([]);
    submit(BATCH, clip(4), 'by B');
    expect(await s().sync.syncNow()).toMatchObject({ pending: 0, needsAttention: [] });
    expect(
      await svc.query<{ clip_id: string }>(
        'SELECT clip_id FROM annotation_revisions WHERE batch_id = ? ORDER BY clip_id',
        BATCH,
      ),
    ).toEqual([{ clip_id: clip(0) }, { clip_id: clip(4) }]);
    // The move is in B's audit trail; A's unsynced work stayed A's, unsent under B.
    expect(outbox().filter((r) => r.audit_type === 'batch_checked_out' && r.author === REVIEWER_B.pseudonym)).toEqual([
      { kind: 'audit', author: REVIEWER_B.pseudonym, state: 'acked', audit_type: 'batch_checked_out' },
    ]);
    expect(outbox().filter((r) => r.author === DEMO_REVIEWER.pseudonym && r.kind !== 'audit')).toEqual([
      { kind: 'annotation', author: DEMO_REVIEWER.pseudonym, state: 'acked', audit_type: null },
      { kind: 'annotation', author: DEMO_REVIEWER.pseudonym, state: 'pending', audit_type: null },
      { kind: 'escalation', author: DEMO_REVIEWER.pseudonym, state: 'pending', audit_type: null },
    ]);
    await s().sync.signOut();

    // A's batch is B's now: not A's to list, and not erased for it. A's queued work goes up in
    // A's session, is refused, and waits in A's sync panel rather than vanishing or going again.
    await signInA();
    const a = await s().sync.syncNow();
    expect(s().batches.list()).toEqual([]);
    expect(queryDb(ws.dataDir, 'SELECT status FROM batches WHERE id = ?', BATCH)).toEqual([{ status: 'active' }]);
    expect(a.needsAttention.map((n) => [n.kind, n.batchId, n.clipId, n.code])).toEqual([
      ['annotation', BATCH, clip(1), 'not_assigned'],
      ['escalation', BATCH, null, 'not_assigned'],
      // Their own audit events name the batch too, and are refused for the same reason, once.
      ['audit', BATCH, null, 'not_assigned'],
      ['audit', BATCH, null, 'not_assigned'],
    ]);
    expect(
      outbox()
        .filter((r) => r.author === DEMO_REVIEWER.pseudonym && r.state === 'parked')
        .map((r) => r.audit_type ?? r.kind),
    ).toEqual(['annotation', 'escalation', 'op_needs_attention', 'op_needs_attention']);
    const uploads = annotationUploads;
    expect(await s().sync.syncNow()).toMatchObject({ pending: 0, needsAttention: a.needsAttention });
    expect(annotationUploads).toBe(uploads);
  });

  it('refuses, by name, an offline package of a batch this workstation holds for the last reviewer', async () => {
    await aWorksAndLeaves();
    // The service hands the batch to B and seals B's assignment in a package for this device.
    await handOver(svc.service.core, { batchId: BATCH, kind: 'forced', actor: 'ops', source: CLI_SOURCE });
    await assignBatch(svc.service.core, { operator: 'ops', source: CLI_SOURCE }, BATCH, REVIEWER_B.account);
    const file = packageForB();
    batchListDown = true;
    await signInB();
    expect((await s().sync.syncNow()).connection).toBe('offline');

    const report = await s().offline.importPathAt(file);
    expect(report.imported).toEqual([]);
    expect(report.refused.map((r) => [r.file, r.error.code, r.error.details])).toEqual([
      ['handed-over.earmark', 'PACKAGE_REFUSED', { reason: 'held_for_another_reviewer', batchId: BATCH }],
    ]);
    expect(report.refused[0]?.reason).toMatch(/another reviewer/);
    // A's copy and unsynced work are untouched: still A's, for A's return or the next sync.
    expect(queryDb(ws.dataDir, 'SELECT status FROM batches WHERE id = ?', BATCH)).toEqual([{ status: 'active' }]);
    expect(queryDb(ws.dataDir, 'SELECT count(*) AS n FROM drafts WHERE batch_id = ?', BATCH)).toEqual([{ n: 1 }]);
    expect(s().batches.list()).toEqual([]);
  });

  it("keeps none of what the service told the last reviewer in a cycle that spans the next one's sign-in", async () => {
    await signInA();
    await s().sync.syncNow();
    s().annotations.escalate({ batchId: BATCH, clipId: clip(3), category: 'other', note: 'note of A' });
    await s().sync.syncNow();
    let release = (): void => undefined;
    batchListHeld = new Promise((done) => {
      release = done;
    });
    // A cycle of A's session is under way when B signs in: it still holds A's token.
    const spanning = s().sync.syncNow();
    await signInB();
    release();
    await spanning;
    batchListHeld = null;
    reachable = false;
    expect(await s().inbox.mine()).toMatchObject({ online: false, escalations: [], unseen: 0 });
    expect(s().inbox.badge()).toEqual({ open: 0, urgent: 0, unseen: 0 });
  });

  it('does not bring back a batch erased here before it was assigned to the next reviewer', async () => {
    await signInA();
    await s().sync.syncNow();
    await handOver(svc.service.core, { batchId: BATCH, kind: 'forced', actor: 'ops', source: CLI_SOURCE });
    // A syncs in between: the batch was moved away from this device, and is erased here.
    await s().sync.syncNow();
    await s().sync.signOut();
    await assignBatch(svc.service.core, { operator: 'ops', source: CLI_SOURCE }, BATCH, REVIEWER_B.account);

    await signInB();
    expect(await s().sync.syncNow()).toMatchObject({ connection: 'online', needsAttention: [] });
    expect(s().batches.list()).toEqual([]);
    expect(queryDb(ws.dataDir, 'SELECT status FROM batches WHERE id = ?', BATCH)).toEqual([{ status: 'revoked' }]);
    expect(await svc.query('SELECT batch_id FROM checkouts WHERE account = ?', REVIEWER_B.account)).toEqual([]);
    // A package of it is refused as a batch this workstation had: it is no longer held for A.
    const refused = (await s().offline.importPathAt(packageForB())).refused;
    expect(refused.map((r) => r.error.details)).toEqual([{ reason: 'already_imported', batchId: BATCH }]);
  });
});
