/**
 * `admin accounts list|create|disable|reset-totp|set-role|set-max-devices`: who may sign in, in
 * which role, and how many devices they may hold.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { roles, type Role } from '../../shared/domain/session';
import { appendAudit } from '../audit';
import { hashPassword, newTotpSecret, totpUri } from '../auth';
import { NameTakenError } from '../store/repositories';
import { arg, UsageError, type AdminContext, type AdminGroup } from './command';
import { MIN_PASSWORD_CHARS } from './credentials';

const NAME = /^[a-z][a-z0-9._-]{1,63}$/;
const PSEUDONYM = /^[A-Za-z0-9_-]{1,64}$/;

async function create(ctx: AdminContext, args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    strict: true,
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      pseudonym: { type: 'string' },
      'max-devices': { type: 'string', default: '1' },
    },
  });
  const name = arg(positionals, 0, 'NAME');
  const role = values.role;
  if (!NAME.test(name)) {
    throw new UsageError('NAME is 2–64 lower-case letters, digits, ".", "_" or "-", starting with a letter.');
  }
  if (role !== 'operator' && !roles.includes(role as Role)) {
    throw new UsageError(`--role must be one of ${[...roles, 'operator'].join(', ')}.`);
  }
  const pseudonym =
    values.pseudonym ??
    `${role === 'operator' ? 'op' : role === 'supervisor' ? 'sv' : 'rv'}-${randomBytes(3).toString('hex')}`;
  if (!PSEUDONYM.test(pseudonym)) {
    throw new UsageError('--pseudonym is 1–64 letters, digits, "_" or "-".');
  }
  const maxDevices = Number(values['max-devices']);
  if (!Number.isInteger(maxDevices) || maxDevices < 0 || maxDevices > 100) {
    throw new UsageError('--max-devices must be a whole number from 0 to 100.');
  }
  const given = env['EARMARK_NEW_ACCOUNT_PASSWORD'];
  if (given !== undefined && given.length < MIN_PASSWORD_CHARS) {
    throw new UsageError(`EARMARK_NEW_ACCOUNT_PASSWORD must have at least ${MIN_PASSWORD_CHARS} characters.`);
  }
  const password = given ?? randomBytes(15).toString('base64url');
  const totpSecret = newTotpSecret();
  const passwordHash = await hashPassword(password);
  const now = ctx.core.now();
  const taken = `The name "${name}" or the pseudonym "${pseudonym}" was taken meanwhile; choose another.`;
  const refusal = await ctx.core.store
    .transaction(async (tx) => {
      if (await tx.accounts.find(name)) {
        return `An account "${name}" exists already.`;
      }
      // Operators hold pseudonyms too: names and pseudonyms are one namespace across every role.
      if (await tx.accounts.pseudonymTaken(pseudonym)) {
        return `The pseudonym "${pseudonym}" is taken; choose another with --pseudonym.`;
      }
      if (role === 'operator') {
        await tx.accounts.addOperator({
          account: name,
          pseudonym,
          passwordHash,
          totpSecret,
          createdAt: now,
          createdBy: ctx.actor.operator,
        });
      } else {
        await tx.accounts.add({ account: name, pseudonym, role: role as Role, passwordHash, totpSecret, maxDevices });
      }
      await appendAudit(tx, {
        at: now,
        actor: ctx.actor.operator,
        source: ctx.actor.source,
        action: 'admin.accounts.create',
        subject: name,
        detail: { role: role ?? null, pseudonym },
      });
      return null;
    })
    // The store itself refuses a name or pseudonym another process took since the checks above.
    .catch((error: unknown) => {
      if (error instanceof NameTakenError) {
        return taken;
      }
      throw error;
    });
  if (refusal !== null) {
    return refuse(ctx, 'admin.accounts.create', name, 'conflict', refusal);
  }
  ctx.out(`created ${role ?? ''} account "${name}" (pseudonym ${pseudonym})`);
  if (given === undefined) {
    ctx.out(`  password (shown once): ${password}`);
  }
  ctx.out(`  TOTP (shown once; add it to an authenticator app): ${totpUri(totpSecret, name)}`);
  return 0;
}

/** A refusal of an account act, audited before the operator sees it. */
async function refuse(
  ctx: AdminContext,
  action: string,
  subject: string,
  code: string,
  message: string,
): Promise<never> {
  await appendAudit(ctx.core.store, {
    at: ctx.core.now(),
    actor: ctx.actor.operator,
    source: ctx.actor.source,
    action,
    subject,
    outcome: 'refused',
    code,
  });
  throw new UsageError(message);
}

/** A new TOTP secret for an account whose authenticator was lost; its URI is printed once. */
async function resetTotp(ctx: AdminContext, args: readonly string[]): Promise<number> {
  const name = arg(args, 0, 'NAME');
  const totpSecret = newTotpSecret();
  const now = ctx.core.now();
  const done = await ctx.core.store.transaction(async (tx) => {
    if (!(await tx.accounts.resetTotp(name, totpSecret))) {
      return false;
    }
    await appendAudit(tx, {
      at: now,
      actor: ctx.actor.operator,
      source: ctx.actor.source,
      action: 'admin.accounts.reset_totp',
      subject: name,
    });
    return true;
  });
  if (!done) {
    return refuse(ctx, 'admin.accounts.reset_totp', name, 'not_found', `No account "${name}".`);
  }
  ctx.out(`"${name}" has a new TOTP secret; codes of the old one no longer work`);
  ctx.out(`  TOTP (shown once; add it to an authenticator app): ${totpUri(totpSecret, name)}`);
  return 0;
}

/** Makes a reviewer a supervisor or back; a supervisor of a team stays one until removed from its supervisors. */
async function setRole(ctx: AdminContext, args: readonly string[]): Promise<number> {
  const name = arg(args, 0, 'NAME');
  const role = arg(args, 1, 'ROLE');
  if (!roles.includes(role as Role)) {
    throw new UsageError(`ROLE must be one of ${roles.join(', ')}.`);
  }
  const action = 'admin.accounts.set_role';
  const now = ctx.core.now();
  const refusal = await ctx.core.store.transaction(async (tx) => {
    const account = await tx.accounts.find(name);
    if (!account || account.role === 'operator') {
      return { code: 'not_found', message: `No reviewer or supervisor account "${name}".` };
    }
    if (role === 'reviewer') {
      for (const team of await tx.teams.list()) {
        if ((await tx.teams.members(team.team)).some((m) => m.account === name && m.role === 'supervisor')) {
          return {
            code: 'conflict',
            message: `"${name}" supervises team "${team.team}": make them a member there first (teams set-role).`,
          };
        }
      }
    }
    await tx.accounts.setRole(name, role as Role);
    await appendAudit(tx, {
      at: now,
      actor: ctx.actor.operator,
      source: ctx.actor.source,
      action,
      subject: name,
      detail: { from: account.role, to: role },
    });
    return null;
  });
  if (refusal) {
    return refuse(ctx, action, name, refusal.code, refusal.message);
  }
  ctx.out(`"${name}" is now a ${role}; it takes effect at their next sign-in`);
  return 0;
}

async function list(ctx: AdminContext): Promise<number> {
  const accounts = await ctx.core.store.accounts.list();
  await appendAudit(ctx.core.store, {
    at: ctx.core.now(),
    actor: ctx.actor.operator,
    source: ctx.actor.source,
    action: 'admin.accounts.list',
    detail: { count: accounts.length },
  });
  ctx.out('account	pseudonym	role	max_devices	disabled');
  for (const a of accounts) {
    ctx.out(
      [
        a.account,
        a.pseudonym,
        a.role,
        a.maxDevices,
        a.disabledAt === null ? '-' : new Date(a.disabledAt).toISOString(),
      ].join('\t'),
    );
  }
  return 0;
}

export function accountsGroup(env: NodeJS.ProcessEnv): AdminGroup {
  return {
    name: 'accounts',
    usage: [
      'accounts list',
      'accounts create NAME --role reviewer|supervisor|operator [--pseudonym P] [--max-devices 1]',
      '  (password from EARMARK_NEW_ACCOUNT_PASSWORD, else a random one printed once)',
      'accounts disable NAME',
      'accounts reset-totp NAME   (a new authenticator secret; its URI is printed once)',
      'accounts set-role NAME reviewer|supervisor',
      'accounts set-max-devices NAME N',
    ],
    async run(ctx, action, args) {
      const now = ctx.core.now();
      const audit = { at: now, actor: ctx.actor.operator, source: ctx.actor.source } as const;
      switch (action) {
        case 'create':
          return create(ctx, args, env);
        case 'list':
          return list(ctx);
        case 'reset-totp':
          return resetTotp(ctx, args);
        case 'set-role':
          return setRole(ctx, args);
        case 'disable': {
          const name = arg(args, 0, 'NAME');
          if (name === ctx.actor.operator) {
            return refuse(
              ctx,
              'admin.accounts.disable',
              name,
              'forbidden',
              'An operator cannot disable their own account.',
            );
          }
          const done = await ctx.core.store.transaction(async (tx) => {
            if (!(await tx.accounts.disable(name, now))) {
              return false;
            }
            await tx.sessions.endAllOf(name, now);
            await appendAudit(tx, { ...audit, action: 'admin.accounts.disable', subject: name });
            return true;
          });
          if (!done) {
            return refuse(ctx, 'admin.accounts.disable', name, 'not_found', `No enabled account "${name}".`);
          }
          ctx.out(`disabled "${name}" and ended its sessions`);
          return 0;
        }
        case 'set-max-devices': {
          const name = arg(args, 0, 'NAME');
          const n = Number(arg(args, 1, 'N'));
          if (!Number.isInteger(n) || n < 0 || n > 100) {
            throw new UsageError('N must be a whole number from 0 to 100.');
          }
          const done = await ctx.core.store.transaction(async (tx) => {
            if (!(await tx.accounts.setMaxDevices(name, n))) {
              return false;
            }
            await appendAudit(tx, {
              ...audit,
              action: 'admin.accounts.set_max_devices',
              subject: name,
              detail: { maxDevices: n },
            });
            return true;
          });
          if (!done) {
            return refuse(
              ctx,
              'admin.accounts.set_max_devices',
              name,
              'not_found',
              `No reviewer or supervisor account "${name}".`,
            );
          }
          ctx.out(`"${name}" may hold ${n} approved device(s); approved devices beyond that stay until revoked`);
          return 0;
        }
        default:
          throw new UsageError(`Unknown accounts action "${action ?? ''}".`);
      }
    },
  };
}
