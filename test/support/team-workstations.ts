/**
 * Accounts of two teams on a test service, each with a workstation key an operator approved:
 * `north` (the demo reviewer, a second reviewer and the demo supervisor) and `south` (a reviewer
 * and a supervisor of their own). For tests of what one team may do with another's clips.
 */
import { expect } from 'vitest';
import { generateDeviceKey, type DeviceKey } from '../../core/crypto/device-key';
import { CLI_SOURCE } from '../../service/audit';
import { DEMO_REVIEWER, DEMO_SUPERVISOR, type SeedAccount } from '../../service/seed';
import { addTeamMember, createTeam, setTeamRole } from '../../service/teams';
import { call, type Answer } from './http-client';
import type { TestService } from './reference-service';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';

const OPERATOR = { operator: 'tests', source: CLI_SOURCE };

const account = (name: string, pseudonym: string, role: SeedAccount['role']): SeedAccount => ({
  account: name,
  password: `password of ${name}`,
  totpSecret: DEMO_REVIEWER.totpSecret,
  pseudonym,
  role,
});

export const TEAM_ACCOUNTS = {
  requester: DEMO_REVIEWER,
  teammate: account('reviewer-b', 'rv-b', 'reviewer'),
  supervisor: DEMO_SUPERVISOR,
  outsider: account('reviewer-c', 'rv-c', 'reviewer'),
  otherSupervisor: account('supervisor-s', 'sv-s', 'supervisor'),
} as const;
export type TeamAccountName = keyof typeof TEAM_ACCOUNTS;

/** A signed-in workstation: its account, its approved key and its session token. */
export type Workstation = {
  readonly account: SeedAccount;
  readonly device: DeviceKey;
  readonly token: string;
  call(method: string, path: string, json?: unknown): Promise<Answer>;
  /** A call whose answer is read as bytes (a package). */
  bytes(path: string, json: unknown): Promise<{ status: number; bytes: Buffer; code: string | null }>;
};

/** Signs `a` in on a fresh key and enrols that key with an operator's code, so it is approved. */
export async function workstationFor(svc: TestService, a: SeedAccount): Promise<Workstation> {
  const device = generateDeviceKey();
  const signIn = await call(svc.url, 'POST', '/v1/sessions', { json: await svc.signInBody({ account: a, device }) });
  expect(signIn.status, JSON.stringify(signIn.body)).toBe(201);
  const token = (signIn.body as { token: string }).token;
  const enrolled = await call(svc.url, 'POST', '/v1/devices', {
    token,
    json: deviceEnrolment(device, await svc.issueEnrolmentCode(a.account)),
  });
  expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(201);
  return {
    account: a,
    device,
    token,
    call: (method, path, json) => call(svc.url, method, path, { token, json }),
    async bytes(path, json) {
      const r = await fetch(`${svc.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(json),
      });
      const bytes = Buffer.from(await r.arrayBuffer());
      const code = r.ok ? null : (JSON.parse(bytes.toString('utf8')) as { error: { code: string } }).error.code;
      return { status: r.status, bytes, code };
    },
  };
}

/** Adds the accounts and forms both teams; returns a signed-in workstation for each account. */
export async function formTeams(svc: TestService): Promise<Record<TeamAccountName, Workstation>> {
  // Room for more workstations each: a test may sign whole apps in beside the HTTP one.
  for (const a of [TEAM_ACCOUNTS.teammate, TEAM_ACCOUNTS.supervisor, TEAM_ACCOUNTS.outsider]) {
    await svc.addAccount(a, { maxDevices: 4 });
  }
  await svc.addAccount(TEAM_ACCOUNTS.otherSupervisor, { maxDevices: 4 });
  await createTeam(svc.service.core, OPERATOR, 'north');
  await createTeam(svc.service.core, OPERATOR, 'south');
  for (const [team, member] of [
    ['north', TEAM_ACCOUNTS.requester],
    ['north', TEAM_ACCOUNTS.teammate],
    ['north', TEAM_ACCOUNTS.supervisor],
    ['south', TEAM_ACCOUNTS.outsider],
    ['south', TEAM_ACCOUNTS.otherSupervisor],
  ] as const) {
    await addTeamMember(svc.service.core, OPERATOR, team, member.account);
  }
  await setTeamRole(svc.service.core, OPERATOR, 'north', TEAM_ACCOUNTS.supervisor.account, 'supervisor');
  await setTeamRole(svc.service.core, OPERATOR, 'south', TEAM_ACCOUNTS.otherSupervisor.account, 'supervisor');
  return {
    requester: await workstationFor(svc, TEAM_ACCOUNTS.requester),
    teammate: await workstationFor(svc, TEAM_ACCOUNTS.teammate),
    supervisor: await workstationFor(svc, TEAM_ACCOUNTS.supervisor),
    outsider: await workstationFor(svc, TEAM_ACCOUNTS.outsider),
    otherSupervisor: await workstationFor(svc, TEAM_ACCOUNTS.otherSupervisor),
  };
}
