/** The store's view of teams (migration 0006): who is in which team, and in what role. */

/** A member's place in a team: whose shifts are read (`member`), or who reads them (`supervisor`). */
export const teamRoles = ['member', 'supervisor'] as const;
/** One of {@link teamRoles}. */
export type TeamRole = (typeof teamRoles)[number];

export type TeamMember = { readonly account: string; readonly pseudonym: string; readonly role: TeamRole };

export type TeamRow = { readonly team: string; readonly createdAt: number; readonly createdBy: string };

/** Teams of accounts, formed by operators; a supervisor reads the shifts of their teams' members. */
export type TeamRepository = {
  /** Creates a team; false when one of that name exists. */
  create(team: string, at: number, by: string): Promise<boolean>;
  find(team: string): Promise<TeamRow | undefined>;
  /** Every team, by name, with how many members it has. */
  list(): Promise<(TeamRow & { readonly members: number })[]>;
  /** A team's members, by account name. */
  members(team: string): Promise<TeamMember[]>;
  /** Adds an account (as `member` unless said); false when it is in the team already. */
  addMember(m: {
    readonly team: string;
    readonly account: string;
    readonly role: TeamRole;
    readonly at: number;
    readonly by: string;
  }): Promise<boolean>;
  /** False when the account was not in the team. */
  removeMember(team: string, account: string): Promise<boolean>;
  /** False when the account is not in the team. */
  setRole(team: string, account: string, role: TeamRole): Promise<boolean>;
  /** The members (role `member`) of every team `supervisor` supervises, without duplicates. */
  supervisedMembers(supervisor: string): Promise<TeamMember[]>;
};
