import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAdmin, type AdminIo } from '../../../service/admin/cli';
import { totpCode, TOTP_PERIOD_S } from '../../../service/auth';
import { addAccount, addBatch, DEMO_REVIEWER } from '../../../service/seed';
import { createCore } from '../../../service/core';
import type { ServiceStore } from '../../../service/store/repositories';
import { blindTo, withTransactionAccounts } from '../../support/admin-cli';
import { testStoreKind, testStoreOpener } from '../../support/test-store';
import { makeTempDir } from '../../support/temp-dir';

const PASSWORD = 'a long operator password';

describe('admin CLI', { timeout: 30_000 }, () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let t: number;
  let out: string[];
  let err: string[];
  const openStore = testStoreOpener();

  beforeEach(async () => {
    tmp = makeTempDir('earmark-admin-');
    t = Date.now();
    out = [];
    err = [];
    const core = createCore({ store: await openStore(tmp.dir), now: () => t });
    await addAccount(core, DEMO_REVIEWER);
    await core.store.close();
  });
  afterEach(() => {
    tmp.remove();
  });

  const io = (env: NodeJS.ProcessEnv = {}): AdminIo => ({
    openStore: (dir) => openStore(dir),
    defaultDataDir: tmp.dir,
    env,
    prompt: () => Promise.reject(new Error('no terminal in tests')),
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    now: () => t,
  });
  const secretOf = (): string => {
    const uri = out.find((l) => l.includes('otpauth://')) ?? '';
    return /secret=([A-Z2-7]+)/.exec(uri)?.[1] ?? '';
  };
  /** Runs as operator `alice` with a fresh code (the clock moves a step first, as time would). */
  const asAlice = (secret: string, ...argv: string[]) => {
    t += TOTP_PERIOD_S * 1000;
    return runAdmin(
      ['--operator', 'alice', ...argv],
      io({ EARMARK_OPERATOR_PASSWORD: PASSWORD, EARMARK_OPERATOR_TOTP: totpCode(secret, t) }),
    );
  };
  const audit = async (): Promise<{ actor: string | null; source: string; action: string; outcome: string }[]> => {
    const store = await openStore(tmp.dir);
    try {
      const rows = await store.audit.list({ afterSeq: 0, limit: 1_000 });
      return rows.map((r) => ({ actor: r.actor, source: r.source, action: r.action, outcome: r.outcome }));
    } finally {
      await store.close();
    }
  };

  it('bootstraps the first operator once, printing its TOTP URI, and refuses a second bootstrap', async () => {
    expect(await runAdmin(['bootstrap', '--operator', 'alice'], io({ EARMARK_OPERATOR_PASSWORD: PASSWORD }))).toBe(0);
    expect(secretOf()).toMatch(/^[A-Z2-7]{16,}$/);
    expect(await runAdmin(['bootstrap', '--operator', 'mallory'], io({ EARMARK_OPERATOR_PASSWORD: PASSWORD }))).toBe(1);
    expect(await audit()).toEqual([
      { actor: 'alice', source: 'cli', action: 'admin.bootstrap', outcome: 'ok' },
      { actor: null, source: 'cli', action: 'admin.bootstrap', outcome: 'refused' },
    ]);
  });

  it('of two bootstraps at once under different names, exactly one makes an operator', async () => {
    // On PostgreSQL both transactions are held open until each has begun, so both count the
    // operators before either adds one (two operators on the code before the lock). SQLite
    // begins each transaction with a write lock, so there the second waits at its start; held
    // open there, the first would block it for good. On SQLite this only shows the outcome.
    let arrived = 0;
    let release = (): void => undefined;
    const bothOpen = new Promise<void>((resolve) => {
      release = resolve;
    });
    const meetBeforeCounting = (store: ServiceStore): ServiceStore =>
      testStoreKind() === 'sqlite'
        ? store
        : withTransactionAccounts((accounts) => ({
            operatorCount: async () => {
              arrived += 1;
              if (arrived === 2) {
                release();
              }
              await bothOpen;
              return accounts.operatorCount();
            },
          }))(store);
    const bootstrapAs = (name: string) =>
      runAdmin(['bootstrap', '--operator', name], {
        ...io({ EARMARK_OPERATOR_PASSWORD: PASSWORD }),
        openStore: async (dir) => meetBeforeCounting(await openStore(dir)),
      });
    const codes = await Promise.all([bootstrapAs('alice'), bootstrapAs('bob')]);
    expect([...codes].sort()).toEqual([0, 1]);
    const store = await openStore(tmp.dir);
    try {
      expect(await store.accounts.operatorCount()).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('refuses, audited, a bootstrap whose name another process took after the check', async () => {
    const blind = blindTo(DEMO_REVIEWER.account);
    const env = { EARMARK_OPERATOR_PASSWORD: PASSWORD };
    const code = await runAdmin(['bootstrap', '--operator', DEMO_REVIEWER.account], {
      ...io(env),
      openStore: async (dir) => blind(await openStore(dir)),
    });
    expect(code).toBe(1);
    expect(out.join('\n')).toContain('the name is taken');
    expect(await audit()).toEqual([{ actor: null, source: 'cli', action: 'admin.bootstrap', outcome: 'refused' }]);
  });

  it('acts as the named operator only with the right password and code, and audits every action', async () => {
    await runAdmin(['bootstrap', '--operator', 'alice'], io({ EARMARK_OPERATOR_PASSWORD: PASSWORD }));
    const secret = secretOf();
    expect(
      await runAdmin(
        ['--operator', 'alice', 'enrolment-codes', 'issue', 'reviewer'],
        io({ EARMARK_OPERATOR_PASSWORD: 'wrong password here', EARMARK_OPERATOR_TOTP: totpCode(secret, t + 30_000) }),
      ),
    ).toBe(1);
    expect(err.at(-1)).toBe('The operator name, password or one-time code is wrong.');
    expect(await asAlice(secret, 'enrolment-codes', 'issue', 'reviewer')).toBe(0);
    expect(out.at(-1)).toMatch(/enrolment code for reviewer .*: [A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
    expect(await asAlice(secret, 'accounts', 'set-max-devices', 'reviewer', '2')).toBe(0);
    expect(await asAlice(secret, 'devices', 'list', '--state', 'pending')).toBe(0);
    expect(await asAlice(secret, 'devices', 'approve', 'reviewer', '0123456789abcdef')).toBe(1);
    expect(err.at(-1)).toMatch(/No device 0123456789abcdef/);
    expect(await asAlice(secret, 'audit', 'list', '--limit', '50')).toBe(0);
    expect((await audit()).map((r) => [r.actor, r.source, r.action, r.outcome])).toEqual([
      ['alice', 'cli', 'admin.bootstrap', 'ok'],
      [null, 'cli', 'admin.sign_in', 'refused'],
      ['alice', 'cli', 'admin.sign_in', 'ok'],
      ['alice', 'cli', 'admin.enrolment_codes.issue', 'ok'],
      ['alice', 'cli', 'admin.sign_in', 'ok'],
      ['alice', 'cli', 'admin.accounts.set_max_devices', 'ok'],
      ['alice', 'cli', 'admin.sign_in', 'ok'],
      ['alice', 'cli', 'admin.devices.list', 'ok'],
      ['alice', 'cli', 'admin.sign_in', 'ok'],
      ['alice', 'cli', 'admin.devices.approve', 'refused'],
      ['alice', 'cli', 'admin.sign_in', 'ok'],
      ['alice', 'cli', 'admin.audit.list', 'ok'],
    ]);
  });

  it('refuses a reused one-time code and a reviewer acting as an operator', async () => {
    await runAdmin(['bootstrap', '--operator', 'alice'], io({ EARMARK_OPERATOR_PASSWORD: PASSWORD }));
    const secret = secretOf();
    t += TOTP_PERIOD_S * 1000;
    const env = { EARMARK_OPERATOR_PASSWORD: PASSWORD, EARMARK_OPERATOR_TOTP: totpCode(secret, t) };
    expect(await runAdmin(['--operator', 'alice', 'devices', 'list'], io(env))).toBe(0);
    expect(await runAdmin(['--operator', 'alice', 'devices', 'list'], io(env))).toBe(1);
    const reviewer = {
      EARMARK_OPERATOR_PASSWORD: DEMO_REVIEWER.password,
      EARMARK_OPERATOR_TOTP: totpCode(DEMO_REVIEWER.totpSecret, t),
    };
    expect(await runAdmin(['--operator', 'reviewer', 'devices', 'list'], io(reviewer))).toBe(1);
  });

  /** The audit rows of these actions, oldest first. */
  const auditOf = async (
    ...actions: string[]
  ): Promise<{ action: string; outcome: string; code: string | null; subject: string | null }[]> => {
    const store = await openStore(tmp.dir);
    try {
      const rows = await store.audit.list({ afterSeq: 0, limit: 1_000 });
      return rows
        .filter((r) => actions.includes(r.action))
        .map((r) => ({ action: r.action, outcome: r.outcome, code: r.code, subject: r.subject }));
    } finally {
      await store.close();
    }
  };
  /** Runs `work` on the store, closed again after. */
  const onStore = async <T>(work: (store: ServiceStore) => Promise<T>): Promise<T> => {
    const store = await openStore(tmp.dir);
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  };
  const device = (keyId: string) => ({
    keyId,
    encryptionKey: Buffer.alloc(32, 1),
    signingKey: Buffer.alloc(32, 2),
    enrolledAt: t,
  });

  it('creates accounts of each role and disables them, ending their sessions, each act and refusal audited', async () => {
    await runAdmin(['bootstrap', '--operator', 'alice'], io({ EARMARK_OPERATOR_PASSWORD: PASSWORD }));
    const secret = secretOf();
    const created = [
      ['rita', 'reviewer'],
      ['sam', 'supervisor'],
      ['olga', 'operator'],
    ] as const;
    for (const [name, role] of created) {
      out.length = 0;
      expect(await asAlice(secret, 'accounts', 'create', name, '--role', role)).toBe(0);
      // The password and the TOTP enrolment URI, each printed once.
      expect(out.filter((l) => l.includes('password (shown once)'))).toHaveLength(1);
      const uris = out.filter((l) => l.includes('otpauth://'));
      expect(uris).toHaveLength(1);
      expect(uris[0]).toMatch(new RegExp(`otpauth://totp/[^?]*${name}\\?.*secret=[A-Z2-7]{16,}`));
    }
    expect(
      (await onStore((store) => store.accounts.list())).map((a) => [a.account, a.role, a.disabledAt === null]),
    ).toEqual([
      ['alice', 'operator', true],
      ['olga', 'operator', true],
      ['reviewer', 'reviewer', true],
      ['rita', 'reviewer', true],
      ['sam', 'supervisor', true],
    ]);
    // A name or a pseudonym taken already is refused, and the refusal audited.
    expect(await asAlice(secret, 'accounts', 'create', 'sam', '--role', 'reviewer')).toBe(2);
    expect(err.at(-1)).toMatch(/^An account "sam" exists already\.\n/);
    expect(
      await asAlice(secret, 'accounts', 'create', 'tom', '--role', 'reviewer', '--pseudonym', DEMO_REVIEWER.pseudonym),
    ).toBe(2);

    // Sam is signed in on two devices; disabling him ends both sessions, and nobody else's.
    const token = (n: number): Buffer => Buffer.alloc(32, n);
    await onStore(async (store) => {
      for (const [n, account, keyId] of [
        [1, 'sam', '1111111111111111'],
        [2, 'sam', '2222222222222222'],
        [3, 'rita', '3333333333333333'],
      ] as const) {
        await store.devices.enrol(account, device(keyId));
        await store.sessions.add(token(n), {
          account,
          device: { keyId, signingKey: Buffer.alloc(32, 2) },
          createdAt: t,
          expiresAt: t + 3_600_000,
        });
      }
    });
    expect(await asAlice(secret, 'accounts', 'disable', 'sam')).toBe(0);
    expect(out.at(-1)).toBe('disabled "sam" and ended its sessions');
    const ended = await onStore(async (store) =>
      Promise.all([1, 2, 3].map(async (n) => (await store.sessions.find(token(n)))?.endedAt ?? null)),
    );
    expect(ended).toEqual([t, t, null]);
    expect(await asAlice(secret, 'accounts', 'disable', 'sam')).toBe(2);
    expect(await asAlice(secret, 'accounts', 'disable', 'alice')).toBe(2);
    expect(await auditOf('admin.accounts.create', 'admin.accounts.disable')).toEqual([
      { action: 'admin.accounts.create', outcome: 'ok', code: null, subject: 'rita' },
      { action: 'admin.accounts.create', outcome: 'ok', code: null, subject: 'sam' },
      { action: 'admin.accounts.create', outcome: 'ok', code: null, subject: 'olga' },
      { action: 'admin.accounts.create', outcome: 'refused', code: 'conflict', subject: 'sam' },
      { action: 'admin.accounts.create', outcome: 'refused', code: 'conflict', subject: 'tom' },
      { action: 'admin.accounts.disable', outcome: 'ok', code: null, subject: 'sam' },
      { action: 'admin.accounts.disable', outcome: 'refused', code: 'not_found', subject: 'sam' },
      { action: 'admin.accounts.disable', outcome: 'refused', code: 'forbidden', subject: 'alice' },
    ]);
  });

  it('approves a pending device and revokes it, each audited', async () => {
    await onStore((store) => store.devices.enrol(DEMO_REVIEWER.account, device('9c1e5a0b7d3f2e12')));
    await runAdmin(['bootstrap', '--operator', 'alice'], io({ EARMARK_OPERATOR_PASSWORD: PASSWORD }));
    const secret = secretOf();
    const state = async (): Promise<unknown> =>
      (await onStore((store) => store.devices.list({ account: DEMO_REVIEWER.account }))).map((d) => [
        d.keyId,
        d.state,
        d.decidedBy,
      ]);
    expect(await state()).toEqual([['9c1e5a0b7d3f2e12', 'pending', null]]);
    expect(await asAlice(secret, 'devices', 'approve', DEMO_REVIEWER.account, '9c1e5a0b7d3f2e12')).toBe(0);
    expect(out.at(-1)).toBe(`approved 9c1e5a0b7d3f2e12 for ${DEMO_REVIEWER.account}`);
    expect(await state()).toEqual([['9c1e5a0b7d3f2e12', 'approved', 'alice']]);
    expect(await asAlice(secret, 'devices', 'revoke', DEMO_REVIEWER.account, '9c1e5a0b7d3f2e12')).toBe(0);
    expect(out.at(-1)).toBe(`revoked 9c1e5a0b7d3f2e12 for ${DEMO_REVIEWER.account}; checkouts revoked: none`);
    expect(await state()).toEqual([['9c1e5a0b7d3f2e12', 'revoked', 'alice']]);
    // A revoked key is never approved again.
    expect(await asAlice(secret, 'devices', 'approve', DEMO_REVIEWER.account, '9c1e5a0b7d3f2e12')).toBe(1);
    expect(await auditOf('admin.devices.approve', 'admin.devices.revoke')).toEqual([
      { action: 'admin.devices.approve', outcome: 'ok', code: null, subject: '9c1e5a0b7d3f2e12' },
      { action: 'admin.devices.revoke', outcome: 'ok', code: null, subject: '9c1e5a0b7d3f2e12' },
      { action: 'admin.devices.approve', outcome: 'refused', code: 'conflict', subject: '9c1e5a0b7d3f2e12' },
    ]);
  });

  it('changes the service epoch on restore-notice, and audits it', async () => {
    await runAdmin(['bootstrap', '--operator', 'alice'], io({ EARMARK_OPERATOR_PASSWORD: PASSWORD }));
    const secret = secretOf();
    const epoch = async (): Promise<unknown> =>
      (await openStore.query(tmp.dir, 'SELECT epoch, changed_by FROM service_epoch'))[0];
    const before = await epoch();
    expect(await asAlice(secret, 'restore-notice')).toBe(0);
    expect(out.at(-1)).toMatch(/^service epoch changed \([0-9a-f]{32} -> [0-9a-f]{32}\)/);
    expect(await epoch()).not.toEqual(before);
    expect(await epoch()).toMatchObject({ changed_by: 'alice' });
    expect(await asAlice(secret, 'restore-notice', 'now')).toBe(2);
    expect((await audit()).filter((r) => r.action === 'admin.restore_notice')).toEqual([
      { actor: 'alice', source: 'cli', action: 'admin.restore_notice', outcome: 'ok' },
    ]);
  });

  it('withdraws one clip by name, erasing its text, and audits it; an unknown clip is refused', async () => {
    const core = createCore({ store: await openStore(tmp.dir), now: () => t });
    const details = (id: string) => ({
      id,
      durationMs: 300,
      codec: 'wav' as const,
      asrText: `words of ${id}`,
      consent: 'granted' as const,
    });
    await addBatch(core, {
      batchId: 'b-AAAAAAAAAAAAAC11',
      assignedTo: DEMO_REVIEWER.account,
      clips: [
        { details: details('c-AAAAAAAAAAAAAAA1'), audio: Buffer.from('RIFF') },
        { details: details('c-AAAAAAAAAAAAAAA2'), audio: null },
      ],
    });
    await core.store.close();
    await runAdmin(['bootstrap', '--operator', 'alice'], io({ EARMARK_OPERATOR_PASSWORD: PASSWORD }));
    const secret = secretOf();
    expect(await asAlice(secret, 'clips', 'withdraw', 'b-AAAAAAAAAAAAAC11', 'c-AAAAAAAAAAAAAAA1')).toBe(0);
    expect(out.at(-1)).toMatch(/^withdrew consent for c-AAAAAAAAAAAAAAA1 of b-AAAAAAAAAAAAAC11/);
    expect(await asAlice(secret, 'clips', 'withdraw', 'b-AAAAAAAAAAAAAC11', 'c-AAAAAAAAAAAAAAA9')).toBe(1);
    expect(await asAlice(secret, 'clips', 'withdraw', 'b-AAAAAAAAAAAAAC11')).toBe(2);
    const rows = await openStore.query<{ details: string; audio: Buffer | null }>(
      tmp.dir,
      'SELECT details, audio FROM batch_clips WHERE clip_id = ?',
      'c-AAAAAAAAAAAAAAA1',
    );
    const dump = rows.map((r) => `${r.details}${r.audio?.toString('latin1') ?? ''}`).join();
    expect(dump).toMatch(/withdrawn/);
    expect(dump).not.toContain('words of c-AAAAAAAAAAAAAAA1');
    expect((await audit()).filter((r) => r.action === 'admin.clips.withdraw').map((r) => r.outcome)).toEqual([
      'ok',
      'refused',
    ]);
  });

  it('hands a batch over from the device holding it, audited; with nobody holding it, refuses', async () => {
    const core = createCore({ store: await openStore(tmp.dir), now: () => t });
    await addBatch(core, { batchId: 'b-AAAAAAAAAAAAH01D', assignedTo: DEMO_REVIEWER.account, clips: [] });
    await core.store.devices.enrol(DEMO_REVIEWER.account, {
      keyId: '9c1e5a0b7d3f2e11',
      encryptionKey: Buffer.alloc(32, 1),
      signingKey: Buffer.alloc(32, 2),
      enrolledAt: t,
    });
    await core.store.checkouts.record(DEMO_REVIEWER.account, '9c1e5a0b7d3f2e11', 'b-AAAAAAAAAAAAH01D', t);
    await core.store.close();
    await runAdmin(['bootstrap', '--operator', 'alice'], io({ EARMARK_OPERATOR_PASSWORD: PASSWORD }));
    const secret = secretOf();
    expect(await asAlice(secret, 'batches', 'hand-over', 'b-AAAAAAAAAAAAH01D')).toBe(0);
    expect(out.at(-1)).toMatch(/^handed b-AAAAAAAAAAAAH01D over from device 9c1e5a0b7d3f2e11 of reviewer/);
    expect(await asAlice(secret, 'batches', 'hand-over', 'b-AAAAAAAAAAAAH01D')).toBe(1);
    expect(await asAlice(secret, 'batches', 'hand-over')).toBe(2);
    expect(await openStore.query(tmp.dir, 'SELECT release_kind, released_by FROM checkouts')).toEqual([
      { release_kind: 'forced', released_by: 'alice' },
    ]);
    expect(
      (await audit()).filter((r) => r.action === 'admin.batches.hand_over').map((r) => [r.actor, r.source, r.outcome]),
    ).toEqual([
      ['alice', 'cli', 'ok'],
      ['alice', 'cli', 'refused'],
    ]);
  });
});
