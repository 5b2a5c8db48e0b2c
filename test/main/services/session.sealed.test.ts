import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeServices, queryDb, type ServicesEnv } from '../../support/services';

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
