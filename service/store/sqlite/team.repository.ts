/** Teams and their members in SQLite. */
import type { Database } from 'better-sqlite3';
import type { TeamMember, TeamRepository, TeamRole, TeamRow } from '../repositories';
import type { Sync } from './unit-of-work';

type TeamDbRow = { team: string; created_at: number; created_by: string };
const toTeam = (r: TeamDbRow): TeamRow => ({ team: r.team, createdAt: r.created_at, createdBy: r.created_by });

export function sqliteTeamRepository(db: Database): Sync<TeamRepository> {
  const create = db.prepare<[string, number, string]>(
    'INSERT INTO teams (team, created_at, created_by) VALUES (?, ?, ?) ON CONFLICT (team) DO NOTHING',
  );
  const find = db.prepare<[string], TeamDbRow>('SELECT team, created_at, created_by FROM teams WHERE team = ?');
  const list = db.prepare<[], TeamDbRow & { members: number }>(
    `SELECT t.team, t.created_at, t.created_by, count(m.account) AS members
       FROM teams t LEFT JOIN team_members m ON m.team = t.team GROUP BY t.team ORDER BY t.team`,
  );
  const members = db.prepare<[string], TeamMember>(
    `SELECT m.account, a.pseudonym, m.role FROM team_members m JOIN accounts a ON a.account = m.account
      WHERE m.team = ? ORDER BY m.account`,
  );
  const add = db.prepare<[string, string, TeamRole, number, string]>(
    `INSERT INTO team_members (team, account, role, added_at, added_by) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (team, account) DO NOTHING`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM team_members WHERE team = ? AND account = ?');
  const setRole = db.prepare<[TeamRole, string, string]>(
    'UPDATE team_members SET role = ? WHERE team = ? AND account = ?',
  );
  const supervised = db.prepare<[string], TeamMember>(
    `SELECT DISTINCT m.account, a.pseudonym, m.role
       FROM team_members s
       JOIN team_members m ON m.team = s.team AND m.role = 'member'
       JOIN accounts a ON a.account = m.account
      WHERE s.account = ? AND s.role = 'supervisor'
      ORDER BY m.account`,
  );
  return {
    create: (team, at, by) => create.run(team, at, by).changes === 1,
    find: (team) => {
      const r = find.get(team);
      return r ? toTeam(r) : undefined;
    },
    list: () => list.all().map((r) => ({ ...toTeam(r), members: r.members })),
    members: (team) => members.all(team),
    addMember: (m) => add.run(m.team, m.account, m.role, m.at, m.by).changes === 1,
    removeMember: (team, account) => remove.run(team, account).changes === 1,
    setRole: (team, account, role) => setRole.run(role, team, account).changes === 1,
    supervisedMembers: (supervisor) => supervised.all(supervisor),
  };
}
