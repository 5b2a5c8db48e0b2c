import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_SUPERVISOR } from '../../../service/seed';
import { startTestService, type TestService } from '../../support/reference-service';
import { makeServices, makeTestClock, queryDb, type ServicesEnv } from '../../support/services';
import { signedIdentityFor, testServiceSigningKey } from '../../support/signed-identity';

/** Writes a settings row behind the app's back, as someone with the database file would. */
function writeRow(dataDir: string, key: string, value: string): void {
  const db = new Database(join(dataDir, 'earmark.db'));
  try {
    db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  } finally {
    db.close();
  }
}

describe('signed-in identity at rest', () => {
  let env: ServicesEnv;
  beforeEach(() => {
    env = makeServices();
  });
  afterEach(() => env.dispose());

  it('keeps the role sealed: the database shows no role, and an edited row is nobody', () => {
    env.services.session.signIn({ pseudonym: 'rv-31', role: 'reviewer' });
    const dump = queryDb<{ key: string; value: string }>(env.dataDir, 'SELECT key, value FROM settings')
      .map((r) => `${r.key}=${r.value}`)
      .join('\n');
    expect(dump).not.toMatch(/reviewer|supervisor|rv-31/);
    expect(env.reopen().session.get()).toEqual({ identity: { pseudonym: 'rv-31', role: 'reviewer' }, mode: 'service' });

    // A plain row claiming the supervisor role, and a sealed row from another identity, are refused.
    const [sealed] = queryDb<{ value: string }>(
      env.dataDir,
      "SELECT value FROM settings WHERE key = 'session.sealedIdentity'",
    );
    writeRow(
      env.dataDir,
      'session.sealedIdentity',
      Buffer.from('{"pseudonym":"rv-31","role":"supervisor"}').toString('base64'),
    );
    const forged = env.reopen();
    expect(forged.session.get().mode).toBe('demo');
    expect(() => forged.reports.shifts()).toThrow(/supervisors only/);
    writeRow(env.dataDir, 'session.sealedIdentity', sealed?.value ?? '');
    expect(env.reopen().session.get().identity.role).toBe('reviewer');
  });

  it('seals a plain identity an older version left, the first time the device key is there', () => {
    writeRow(env.dataDir, 'session.identity', '{"pseudonym":"rv-9","role":"supervisor"}');
    const after = env.reopen();
    expect(after.session.get().identity).toEqual({ pseudonym: 'rv-9', role: 'supervisor' });
    const keys = queryDb<{ key: string }>(env.dataDir, "SELECT key FROM settings WHERE key LIKE 'session.%'").map(
      (r) => r.key,
    );
    expect(keys).toEqual(['session.sealedIdentity']);
  });
});

describe('the supervisor role comes from the service-signed identity alone', () => {
  let svc: TestService;
  let env: ServicesEnv;
  beforeEach(async () => {
    svc = await startTestService();
    await svc.addAccount(DEMO_SUPERVISOR);
    env = makeServices({ serviceUrl: svc.url });
  });
  afterEach(async () => {
    env.dispose();
    await svc.stop();
  });

  it('opens the reports to a supervisor the service signed in, and not to a role row edited in sqlite', async () => {
    await env.services.sync.signIn({
      account: DEMO_SUPERVISOR.account,
      password: DEMO_SUPERVISOR.password,
      totp: svc.nextCode(DEMO_SUPERVISOR),
    });
    expect(env.services.reports.shifts()).toEqual(expect.any(Array));
    await env.services.sync.signOut();

    await env.services.sync.signIn(svc.credentials());
    expect(() => env.services.reports.shifts()).toThrow(/supervisors only/);
    // A reviewer with the database file writes a plain identity row claiming the supervisor role.
    env.services.close();
    writeRow(env.dataDir, 'session.identity', `{"pseudonym":"${svc.reviewer.pseudonym}","role":"supervisor"}`);
    const db = new Database(join(env.dataDir, 'earmark.db'));
    db.prepare("DELETE FROM settings WHERE key = 'session.sealedIdentity'").run();
    db.close();
    const after = env.reopen();
    expect(after.session.get().identity.role).toBe('supervisor');
    expect(() => after.reports.shifts()).toThrow(/supervisors only/);
  });

  it('refuses a supervisor statement signed with a key the workstation does not trust', async () => {
    await env.services.sync.signIn(svc.credentials());
    const forged = signedIdentityFor(
      env.services,
      { pseudonym: svc.reviewer.pseudonym, role: 'supervisor' },
      { key: testServiceSigningKey },
    );
    env.services.session.signIn({ pseudonym: svc.reviewer.pseudonym, role: 'supervisor' }, forged);
    expect(() => env.services.reports.shifts()).toThrow(/supervisors only/);
  });

  it('stops trusting a signed role once it expired in service time, whatever the local clock says', async () => {
    env.dispose();
    const clock = makeTestClock(svc.now());
    env = makeServices({ serviceUrl: svc.url, clock });
    await env.services.sync.signIn({
      account: DEMO_SUPERVISOR.account,
      password: DEMO_SUPERVISOR.password,
      totp: svc.nextCode(DEMO_SUPERVISOR),
    });
    expect(env.services.session.vouchedRole()).toBe('supervisor');
    // A local clock set back does not stretch it: service time (monotonic since the answer) decides.
    clock.advance(8 * 60 * 60 * 1000 + 60_000);
    clock.setWall(svc.now() - 60 * 60 * 1000);
    expect(env.services.session.vouchedRole()).toBeNull();
    expect(() => env.services.reports.shifts()).toThrow(/supervisors only/);
  });
});
