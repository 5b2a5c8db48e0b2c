/**
 * A team on the reference service and apps signed in to it, each on a data folder of its own:
 * for specs (and the screenshot tool) where a reviewer, a teammate and a supervisor work on
 * separate workstations. `north` holds the demo reviewer, a second reviewer and the demo
 * supervisor; `south` a reviewer of its own.
 */
import type { Page } from '@playwright/test';
import { CLI_SOURCE } from '../../../service/audit';
import { DEMO_REVIEWER, DEMO_SUPERVISOR, type SeedAccount } from '../../../service/seed';
import { addTeamMember, createTeam, setTeamRole } from '../../../service/teams';
import type { TestService } from '../../support/reference-service';
import { startApp, type RunningApp } from './app-harness';
import type { ReportExporter } from '../../../main/services/report.service';

const OPERATOR = { operator: 'tests', source: CLI_SOURCE };

const reviewer = (account: string, pseudonym: string): SeedAccount => ({
  account,
  password: `password of ${account}`,
  totpSecret: DEMO_REVIEWER.totpSecret,
  pseudonym,
  role: 'reviewer',
});

export const TEAM = {
  requester: DEMO_REVIEWER,
  teammate: reviewer('reviewer-b', 'rv-b'),
  supervisor: DEMO_SUPERVISOR,
  outsider: reviewer('reviewer-c', 'rv-c'),
} as const;

/** Adds the accounts and forms both teams. */
export async function formTeam(svc: TestService): Promise<void> {
  const core = svc.service.core;
  for (const a of [TEAM.teammate, TEAM.supervisor, TEAM.outsider]) {
    await svc.addAccount(a);
  }
  await createTeam(core, OPERATOR, 'north');
  await createTeam(core, OPERATOR, 'south');
  for (const [team, member] of [
    ['north', TEAM.requester],
    ['north', TEAM.teammate],
    ['north', TEAM.supervisor],
    ['south', TEAM.outsider],
  ] as const) {
    await addTeamMember(core, OPERATOR, team, member.account);
  }
  await setTeamRole(core, OPERATOR, 'north', TEAM.supervisor.account, 'supervisor');
}

/**
 * The app in `page`, on a fresh data folder, signed in as `a` on a key an operator approved,
 * one sync cycle run (batches checked out, counts fetched) and the window open.
 */
export async function signedInApp(
  page: Page,
  bridgeScript: string,
  svc: TestService,
  a: SeedAccount,
  options: { readonly reportExporter?: ReportExporter } = {},
): Promise<RunningApp> {
  const app = await startApp(page, bridgeScript, { serviceUrl: svc.url, ...options });
  try {
    await app.services.sync.signIn({
      account: a.account,
      password: a.password,
      totp: svc.nextCode(a),
      enrolmentCode: await svc.issueEnrolmentCode(a.account),
    });
    await app.services.sync.syncNow();
    await app.open({ demo: false });
    return app;
  } catch (error) {
    app.dispose();
    throw error;
  }
}
