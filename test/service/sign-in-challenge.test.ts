/**
 * Sign-in challenges: anyone may ask for one, so asking stores nothing; a sign-in is taken only
 * with a challenge this deployment issued, before it expires, and once.
 */
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInLimits } from '../../shared/sync/protocol';
import { totpCode } from '../../service/auth';
import type { SeedAccount } from '../../service/seed';
import { CHALLENGE_CLOCK_TOLERANCE_MS, createChallengeMinter } from '../../service/sign-in-challenge';
import { signedSignIn } from '../../main/services/sync/sync-steps';
import { call, codeOf, type Answer } from '../support/http-client';
import { startTestService, type TestService } from '../support/reference-service';

const ed25519 = () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: createPublicKey(privateKey) };
};

describe('a challenge minter', () => {
  const minter = createChallengeMinter(ed25519());
  const now = 1_800_000_000_000;

  it('takes a challenge it issued until it expires, and nothing else', () => {
    const { challenge, expiresAt } = minter.issue(now);
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(expiresAt).toBe(now + signInLimits.challengeTtlMs);
    expect(minter.check(challenge, now)).toBe(expiresAt);
    expect(minter.check(challenge, expiresAt - 1)).toBe(expiresAt);
    expect(minter.check(challenge, expiresAt)).toBeNull();
    // Every byte is covered: its expiry, its random part and its MAC.
    const raw = Buffer.from(challenge, 'base64url');
    for (const at of [0, 5, 6, 15, 16, 31]) {
      const altered = Buffer.from(raw);
      altered[at] = (altered[at] as number) ^ 1;
      expect(minter.check(altered.toString('base64url'), now)).toBeNull();
    }
    // The same 32 bytes spelt another way (the last character's two spare bits set) would be
    // spent under another hash, and so could be spent twice.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(challenge.slice(-1));
    const respelt = `${challenge.slice(0, -1)}${alphabet[last ^ 1] as string}`;
    expect(Buffer.from(respelt, 'base64url')).toEqual(raw);
    expect(minter.check(respelt, now)).toBeNull();
    expect(minter.check(`${challenge}A`, now)).toBeNull();
    expect(minter.check(challenge.slice(0, 42), now)).toBeNull();
    expect(createChallengeMinter(ed25519()).check(challenge, now)).toBeNull();
  });

  it('takes one from a clock ahead within the tolerance, and no further', () => {
    const ahead = minter.issue(now + CHALLENGE_CLOCK_TOLERANCE_MS);
    expect(minter.check(ahead.challenge, now)).toBe(ahead.expiresAt);
    const beyond = minter.issue(now + CHALLENGE_CLOCK_TOLERANCE_MS + 1);
    expect(minter.check(beyond.challenge, now)).toBeNull();
    // A spent challenge is kept until no clock within the tolerance takes it.
    const { challenge, expiresAt } = minter.issue(now);
    const later = expiresAt + CHALLENGE_CLOCK_TOLERANCE_MS;
    expect(minter.forgetSpentBefore(later)).toBe(expiresAt);
    expect(minter.check(challenge, later - CHALLENGE_CLOCK_TOLERANCE_MS - 1)).toBe(expiresAt);
    expect(minter.check(challenge, later - CHALLENGE_CLOCK_TOLERANCE_MS)).toBeNull();
  });

  it('issues a different challenge every time', () => {
    const many = new Set(Array.from({ length: 1000 }, () => minter.issue(now).challenge));
    expect(many.size).toBe(1000);
  });
});

describe('sign-in challenges against an outsider and an insider', () => {
  let svc: TestService;
  let other: TestService | undefined;

  beforeEach(async () => {
    svc = await startTestService();
  });
  afterEach(async () => {
    await other?.stop();
    other = undefined;
    await svc.stop();
  });

  const http = (method: string, path: string, json?: unknown): Promise<Answer> =>
    call(svc.url, method, path, json === undefined ? {} : { json });
  const rows = async (table: string): Promise<number> =>
    (await svc.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n ?? -1;
  /** Why each refused sign-in was refused, oldest first (the audit trail's reason). */
  const reasons = async (): Promise<string[]> =>
    (
      await svc.query<{ detail: string }>(
        "SELECT detail FROM audit_events WHERE action = 'session.sign_in' AND code = 'bad_credentials' ORDER BY seq",
      )
    ).map((r) => (JSON.parse(r.detail) as { reason: string }).reason);
  const challengeAt = async (url: string): Promise<string> => {
    const r = await call(url, 'POST', '/v1/sessions/challenge');
    expect(r.status).toBe(201);
    return (r.body as { challenge: string }).challenge;
  };
  /** The demo reviewer's sign-in with everything right but, perhaps, the challenge. */
  const signIn = (challenge: string): Promise<Answer> =>
    http(
      'POST',
      '/v1/sessions',
      signedSignIn(
        svc.device,
        { account: svc.reviewer.account, password: svc.reviewer.password, totp: svc.nextCode() },
        challenge,
      ),
    );

  it('stores nothing for 300 challenges asked for without an account', async () => {
    const audit = await rows('audit_events');
    const answers = await Promise.all(Array.from({ length: 300 }, () => http('POST', '/v1/sessions/challenge')));
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 300 }, () => 201));
    expect(await rows('spent_challenges')).toBe(0);
    expect(await rows('audit_events')).toBe(audit);
  });

  it('takes a challenge once, and records it only when a sign-in spends it', async () => {
    const challenge = await challengeAt(svc.url);
    expect((await signIn(challenge)).status).toBe(201);
    expect(await rows('spent_challenges')).toBe(1);
    const again = await signIn(challenge);
    expect([again.status, codeOf(again)]).toEqual([401, 'bad_credentials']);
    expect(await reasons()).toEqual(['challenge']);
  });

  it('lets exactly one of 6 concurrent sign-ins with one challenge spend it', async () => {
    // Six accounts, each with its own password and code, so only the challenge is shared.
    const accounts: SeedAccount[] = Array.from({ length: 6 }, (_, i) => ({
      account: `racer-${i}`,
      password: `racer password ${i}`,
      totpSecret: `EARMARKRACER${'ABCDEFGH'[i] as string}234567234567234567`,
      pseudonym: `rc-${i}`,
      role: 'reviewer',
    }));
    for (const a of accounts) {
      await svc.addAccount(a);
    }
    const challenge = await challengeAt(svc.url);
    const bodies = accounts.map((a) =>
      signedSignIn(
        svc.device,
        { account: a.account, password: a.password, totp: totpCode(a.totpSecret, svc.now()) },
        challenge,
      ),
    );
    // Each from an address of its own: attempts from one source are counted one after another,
    // which would line the six up before they reach the challenge.
    const answers = await Promise.all(
      bodies.map((json, i) => call(svc.url, 'POST', '/v1/sessions', { json, from: `127.0.0.${i + 2}` })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(await reasons()).toEqual(Array.from({ length: 5 }, () => 'challenge'));
  });

  it('refuses a challenge it never issued, one of another service, and one that expired', async () => {
    // 32 bytes of the right form, and a device signature over them: made up by the caller.
    const forged = await signIn(Buffer.alloc(32, 7).toString('base64url'));
    expect([forged.status, codeOf(forged)]).toEqual([401, 'bad_credentials']);
    other = await startTestService();
    const foreign = await signIn(await challengeAt(other.url));
    expect([foreign.status, codeOf(foreign)]).toEqual([401, 'bad_credentials']);
    const stale = await challengeAt(svc.url);
    svc.advance(signInLimits.challengeTtlMs);
    const expired = await signIn(stale);
    expect([expired.status, codeOf(expired)]).toEqual([401, 'bad_credentials']);
    // None of them was stored, and each refusal is in the audit trail, for its challenge.
    expect(await rows('spent_challenges')).toBe(0);
    expect(await reasons()).toEqual(['challenge', 'challenge', 'challenge']);
    // The account is not locked by them: the next sign-in with a fresh challenge opens a session.
    expect((await signIn(await challengeAt(svc.url))).status).toBe(201);
  });

  it('takes a challenge another process issued, its clock a minute ahead', async () => {
    const sibling = await svc.startSibling({ clockAheadMs: 60_000 });
    const challenge = await challengeAt(sibling.url);
    expect((await signIn(challenge)).status).toBe(201);
  });

  it('refuses a spent challenge at a process behind, after one ahead spent another', async () => {
    const challenge = await challengeAt(svc.url);
    expect((await signIn(challenge)).status).toBe(201);
    // A process whose clock is over a minute past that challenge's expiry spends a challenge of
    // its own, dropping the spent ones it takes for expired. This process's clock is still before
    // that expiry, so here the first challenge passes its own check.
    const aheadMs = signInLimits.challengeTtlMs + 60_000;
    const ahead = await svc.startSibling({ clockAheadMs: aheadMs });
    const theirs = signedSignIn(
      svc.device,
      {
        account: svc.reviewer.account,
        password: svc.reviewer.password,
        totp: totpCode(svc.reviewer.totpSecret, svc.now() + aheadMs),
      },
      await challengeAt(ahead.url),
    );
    expect((await call(ahead.url, 'POST', '/v1/sessions', { json: theirs })).status).toBe(201);
    expect(await rows('spent_challenges')).toBe(2);
    const replay = await signIn(challenge);
    expect([replay.status, codeOf(replay)]).toEqual([401, 'bad_credentials']);
    expect(await reasons()).toEqual(['challenge']);
  });
});
