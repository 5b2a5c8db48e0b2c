/**
 * What operators decide about teams — create one, add or remove a member, make a member a
 * supervisor or not — in one place for the admin CLI (and any admin endpoint later). Every
 * decision is audited in the unit of work that makes it, and every refusal is audited too.
 */
import { appendAudit } from './audit';
import type { Core } from './core';
import type { Actor } from './devices';
import { HttpError } from './http';
import type { Repositories, TeamRole } from './store/repositories';

/** Team names: 2–64 lower-case letters, digits, ".", "_" or "-", starting with a letter. */
export const TEAM_NAME = /^[a-z][a-z0-9._-]{1,63}$/;

type TeamAction = 'create' | 'add-member' | 'remove-member' | 'set-role';

/**
 * Runs one decision in a unit of work and audits it as `admin.teams.<action>`; a refusal
 * (an HttpError) is audited with its code and thrown on, marked as audited.
 */
async function decide<T>(
  core: Core,
  by: Actor,
  action: TeamAction,
  team: string,
  detail: Readonly<Record<string, string | null>>,
  work: (tx: Repositories) => Promise<T>,
): Promise<T> {
  const base = {
    at: core.now(),
    actor: by.operator,
    source: by.source,
    action: `admin.teams.${action}`,
    subject: team,
  };
  try {
    return await core.store.transaction(async (tx) => {
      const result = await work(tx);
      await appendAudit(tx, { ...base, detail });
      return result;
    });
  } catch (error) {
    if (!(error instanceof HttpError)) {
      throw error;
    }
    await appendAudit(core.store, { ...base, detail, outcome: 'refused', code: error.code });
    throw new HttpError(error.status, error.code, error.message, error.headers, true);
  }
}

async function requireTeam(tx: Repositories, team: string): Promise<void> {
  if (!(await tx.teams.find(team))) {
    throw new HttpError(404, 'not_found', `No team "${team}".`);
  }
}

/** Creates a team. Refused when the name is malformed (400) or taken (409). */
export function createTeam(core: Core, by: Actor, team: string): Promise<void> {
  return decide(core, by, 'create', team, {}, async (tx) => {
    if (!TEAM_NAME.test(team)) {
      throw new HttpError(400, 'bad_request', 'A team name is 2–64 lower-case letters, digits, ".", "_" or "-".');
    }
    if (!(await tx.teams.create(team, core.now(), by.operator))) {
      throw new HttpError(409, 'conflict', `A team "${team}" exists already.`);
    }
  });
}

/**
 * Adds a reviewer or supervisor account to a team as a `member`. Refused for an unknown team
 * or account, an operator (404), or an account already in the team (409).
 */
export function addTeamMember(core: Core, by: Actor, team: string, account: string): Promise<void> {
  return decide(core, by, 'add-member', team, { account }, async (tx) => {
    await requireTeam(tx, team);
    const found = await tx.accounts.find(account);
    if (!found || found.role === 'operator') {
      throw new HttpError(404, 'not_found', `No reviewer or supervisor account "${account}".`);
    }
    const added = await tx.teams.addMember({ team, account, role: 'member', at: core.now(), by: by.operator });
    if (!added) {
      throw new HttpError(409, 'conflict', `"${account}" is in team "${team}" already.`);
    }
  });
}

/** Removes an account from a team; refused when it is not in it (404). */
export function removeTeamMember(core: Core, by: Actor, team: string, account: string): Promise<void> {
  return decide(core, by, 'remove-member', team, { account }, async (tx) => {
    await requireTeam(tx, team);
    if (!(await tx.teams.removeMember(team, account))) {
      throw new HttpError(404, 'not_found', `"${account}" is not in team "${team}".`);
    }
  });
}

/**
 * Makes a team member the team's supervisor, or a plain member again. Only an account with the
 * supervisor role may supervise (409 otherwise), so a reviewer can never read a team's shifts.
 */
export function setTeamRole(core: Core, by: Actor, team: string, account: string, role: TeamRole): Promise<void> {
  return decide(core, by, 'set-role', team, { account, role }, async (tx) => {
    await requireTeam(tx, team);
    const found = await tx.accounts.find(account);
    if (role === 'supervisor' && found?.role !== 'supervisor') {
      throw new HttpError(409, 'conflict', `"${account}" is not a supervisor account; only one may supervise a team.`);
    }
    if (!(await tx.teams.setRole(team, account, role))) {
      throw new HttpError(404, 'not_found', `"${account}" is not in team "${team}".`);
    }
  });
}
