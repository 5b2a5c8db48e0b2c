/** Teams and their members in PostgreSQL. */
import type { TeamMember, TeamRepository, TeamRow } from '../repositories';
import type { PgDb } from './db';

type TeamDbRow = { team: string; created_at: number; created_by: string };
const toTeam = (r: TeamDbRow): TeamRow => ({ team: r.team, createdAt: r.created_at, createdBy: r.created_by });

// Names are ordered by code point, as SQLite orders them, whatever the database's collation.
export function pgTeamRepository(db: PgDb): TeamRepository {
  return {
    async create(team, at, by) {
      const changed = await db.execute(
        'INSERT INTO teams (team, created_at, created_by) VALUES ($1, $2, $3) ON CONFLICT (team) DO NOTHING',
        [team, at, by],
      );
      return changed === 1;
    },
    async find(team) {
      const [r] = await db.query<TeamDbRow>('SELECT team, created_at, created_by FROM teams WHERE team = $1', [team]);
      return r ? toTeam(r) : undefined;
    },
    async list() {
      const rows = await db.query<TeamDbRow & { members: number }>(
        `SELECT t.team, t.created_at, t.created_by, count(m.account) AS members
           FROM teams t LEFT JOIN team_members m ON m.team = t.team
          GROUP BY t.team ORDER BY t.team COLLATE "C"`,
      );
      return rows.map((r) => ({ ...toTeam(r), members: r.members }));
    },
    members: (team) =>
      db.query<TeamMember>(
        `SELECT m.account, a.pseudonym, m.role FROM team_members m JOIN accounts a ON a.account = m.account
          WHERE m.team = $1 ORDER BY m.account COLLATE "C"`,
        [team],
      ),
    async addMember(m) {
      const changed = await db.execute(
        `INSERT INTO team_members (team, account, role, added_at, added_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (team, account) DO NOTHING`,
        [m.team, m.account, m.role, m.at, m.by],
      );
      return changed === 1;
    },
    async removeMember(team, account) {
      return (await db.execute('DELETE FROM team_members WHERE team = $1 AND account = $2', [team, account])) === 1;
    },
    async setRole(team, account, role) {
      return (
        (await db.execute('UPDATE team_members SET role = $1 WHERE team = $2 AND account = $3', [
          role,
          team,
          account,
        ])) === 1
      );
    },
    supervisedMembers: (supervisor) =>
      db.query<TeamMember>(
        `SELECT account, pseudonym, role FROM (
           SELECT DISTINCT m.account, a.pseudonym, m.role
             FROM team_members s
             JOIN team_members m ON m.team = s.team AND m.role = 'member'
             JOIN accounts a ON a.account = m.account
            WHERE s.account = $1 AND s.role = 'supervisor'
         ) supervised
         ORDER BY account COLLATE "C"`,
        [supervisor],
      ),
  };
}
