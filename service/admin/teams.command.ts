/** `admin teams list|create|members|add-member|remove-member|set-role`: who supervises whom. */
import { appendAudit } from '../audit';
import { teamRoles, type TeamRole } from '../store/repositories';
import { addTeamMember, createTeam, removeTeamMember, setTeamRole } from '../teams';
import { arg, UsageError, type AdminGroup } from './command';

export const teamsGroup: AdminGroup = {
  name: 'teams',
  usage: [
    'teams list',
    'teams create TEAM',
    'teams members TEAM',
    'teams add-member TEAM ACCOUNT',
    'teams remove-member TEAM ACCOUNT',
    'teams set-role TEAM ACCOUNT member|supervisor',
  ],
  async run(ctx, action, args) {
    const { core, actor } = ctx;
    switch (action) {
      case 'list': {
        const teams = await core.store.teams.list();
        await appendAudit(core.store, {
          at: core.now(),
          actor: actor.operator,
          source: actor.source,
          action: 'admin.teams.list',
          detail: { count: teams.length },
        });
        ctx.out('team\tmembers\tcreated\tby');
        for (const t of teams) {
          ctx.out([t.team, t.members, new Date(t.createdAt).toISOString(), t.createdBy].join('\t'));
        }
        return 0;
      }
      case 'members': {
        const team = arg(args, 0, 'TEAM');
        const members = await core.store.teams.members(team);
        await appendAudit(core.store, {
          at: core.now(),
          actor: actor.operator,
          source: actor.source,
          action: 'admin.teams.members',
          subject: team,
          detail: { count: members.length },
        });
        ctx.out('account\tpseudonym\trole');
        for (const m of members) {
          ctx.out([m.account, m.pseudonym, m.role].join('\t'));
        }
        return 0;
      }
      case 'create': {
        const team = arg(args, 0, 'TEAM');
        await createTeam(core, actor, team);
        ctx.out(`created team "${team}"`);
        return 0;
      }
      case 'add-member': {
        const [team, account] = [arg(args, 0, 'TEAM'), arg(args, 1, 'ACCOUNT')];
        await addTeamMember(core, actor, team, account);
        ctx.out(`added "${account}" to team "${team}"`);
        return 0;
      }
      case 'remove-member': {
        const [team, account] = [arg(args, 0, 'TEAM'), arg(args, 1, 'ACCOUNT')];
        await removeTeamMember(core, actor, team, account);
        ctx.out(`removed "${account}" from team "${team}"`);
        return 0;
      }
      case 'set-role': {
        const [team, account, role] = [arg(args, 0, 'TEAM'), arg(args, 1, 'ACCOUNT'), arg(args, 2, 'ROLE')];
        if (!teamRoles.includes(role as TeamRole)) {
          throw new UsageError(`ROLE must be one of ${teamRoles.join(', ')}.`);
        }
        await setTeamRole(core, actor, team, account, role as TeamRole);
        ctx.out(`"${account}" is now ${role} of team "${team}"`);
        return 0;
      }
      default:
        throw new UsageError(`Unknown teams action "${action ?? ''}".`);
    }
  },
};
