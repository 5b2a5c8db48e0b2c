/**
 * `admin batches create|list|assign|set-expiry|revoke|hand-over`: batches made from a folder of
 * audio and a clip list (the TSV of `npm run batch -- pack`), who reviews them, until when, and
 * moving one away from the device holding it. Every act, and every refusal, is audited.
 *
 * A hand-over is for when the holding device cannot hand the batch over itself (lost, broken,
 * off the network): whatever it has not synced for the batch is surrendered, its later
 * annotations are refused as `handed_over`, and its workstation parks them for the reviewer.
 */
import { parseArgs } from 'node:util';
import { appendAudit } from '../audit';
import { assignBatch, createBatchFromFolder, revokeBatch, setBatchExpiry } from '../batch-admin';
import { handOver } from '../hand-over';
import { HttpError } from '../http';
import { batchStatusAt } from '../store/batch-status';
import { arg, UsageError, type AdminContext, type AdminGroup } from './command';

const DAY_MS = 86_400_000;
const MAX_DAYS = 90;

const EXPIRY_OPTIONS = {
  'expires-in-days': { type: 'string' },
  'expires-at': { type: 'string' },
} as const;

/** The expiry the options give: `--expires-at` an ISO 8601 time, or `--expires-in-days` from now (default `fallbackDays`). */
function expiryOf(
  v: { 'expires-in-days'?: string; 'expires-at'?: string },
  now: number,
  fallbackDays?: number,
): number {
  if (v['expires-at'] !== undefined && v['expires-in-days'] !== undefined) {
    throw new UsageError('Give --expires-in-days or --expires-at, not both.');
  }
  const at = v['expires-at'];
  if (at !== undefined) {
    // A date and a time with its zone, so the moment is not left to the host's time zone.
    const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(at) ? Date.parse(at) : NaN;
    if (!Number.isFinite(ms)) {
      throw new UsageError('--expires-at takes an ISO 8601 time with its zone, like 2030-01-31T18:00:00Z.');
    }
    return ms;
  }
  const given = v['expires-in-days'] ?? (fallbackDays === undefined ? undefined : String(fallbackDays));
  if (given === undefined) {
    throw new UsageError('Give --expires-in-days N or --expires-at TIME.');
  }
  const days = Number(given);
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new UsageError(`--expires-in-days must be a whole number from 1 to ${MAX_DAYS}.`);
  }
  return now + days * DAY_MS;
}

const iso = (ms: number): string => new Date(ms).toISOString();

async function create(ctx: AdminContext, args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      audio: { type: 'string' },
      clips: { type: 'string' },
      'assign-to': { type: 'string' },
      'batch-id': { type: 'string' },
      ...EXPIRY_OPTIONS,
    },
  });
  const missing = (['audio', 'clips', 'assign-to'] as const).filter((k) => values[k] === undefined);
  if (missing.length > 0) {
    throw new UsageError(`batches create needs ${missing.map((m) => `--${m}`).join(', ')}.`);
  }
  const r = await createBatchFromFolder(ctx.core, ctx.actor, {
    audioDir: values.audio as string,
    clipsFile: values.clips as string,
    assignedTo: values['assign-to'] as string,
    expiresAt: expiryOf(values, ctx.core.now(), 14),
    ...(values['batch-id'] !== undefined ? { batchId: values['batch-id'] } : {}),
  });
  ctx.out(
    `created batch ${r.batchId}: ${r.clips} clips (${r.withdrawn} withdrawn, no audio kept) for "${values['assign-to']}"`,
  );
  return 0;
}

async function list(ctx: AdminContext, args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: { 'assigned-to': { type: 'string' }, limit: { type: 'string', default: '100' } },
  });
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new UsageError('--limit must be a whole number from 1 to 10000.');
  }
  const assignedTo = values['assigned-to'];
  const batches = await ctx.core.store.batches.list({ limit, ...(assignedTo !== undefined ? { assignedTo } : {}) });
  const now = ctx.core.now();
  await appendAudit(ctx.core.store, {
    at: now,
    actor: ctx.actor.operator,
    source: ctx.actor.source,
    action: 'admin.batches.list',
    subject: assignedTo ?? null,
    detail: { count: batches.length },
  });
  ctx.out('batch_id\tassigned_to\tlocale\tclips\tstatus\tcreated\texpires\tholder');
  for (const b of batches) {
    const holder = await ctx.core.store.checkouts.holder(b.batchId);
    ctx.out(
      [
        b.batchId,
        b.assignedTo,
        b.locale,
        b.clipCount,
        batchStatusAt(b, now),
        iso(b.createdAt),
        iso(b.expiresAt),
        holder ? holder.keyId : '-',
      ].join('\t'),
    );
  }
  return 0;
}

async function forceHandOver(ctx: AdminContext, batchId: string): Promise<number> {
  const ended = await handOver(ctx.core, {
    batchId,
    kind: 'forced',
    actor: ctx.actor.operator,
    source: ctx.actor.source,
  });
  ctx.out(
    `handed ${batchId} over from device ${ended.keyId} of ${ended.account}: ` +
      'its unsynced work on the batch is surrendered; another device of the account may check it out now',
  );
  return 0;
}

export const batchesGroup: AdminGroup = {
  name: 'batches',
  usage: [
    'batches create --audio DIR --clips FILE.tsv --assign-to ACCOUNT [--expires-in-days 14 | --expires-at TIME]',
    '               [--batch-id ID]   (the clip list of `npm run batch -- pack`; nothing is stored on any problem)',
    'batches list [--assigned-to ACCOUNT] [--limit 100]',
    'batches assign BATCH_ID ACCOUNT   (while no device holds it)',
    'batches set-expiry BATCH_ID --expires-in-days N | --expires-at TIME   (TIME like 2030-01-31T18:00:00Z)',
    'batches revoke BATCH_ID   (workstations erase it at their next sync)',
    "batches hand-over BATCH_ID   (the holding device's unsynced work on it is surrendered)",
  ],
  async run(ctx, action, args) {
    try {
      switch (action) {
        case 'create':
          return await create(ctx, args);
        case 'list':
          return await list(ctx, args);
        case 'assign': {
          const [batchId, account] = [arg(args, 0, 'BATCH_ID'), arg(args, 1, 'ACCOUNT')];
          await assignBatch(ctx.core, ctx.actor, batchId, account);
          ctx.out(`assigned ${batchId} to "${account}"`);
          return 0;
        }
        case 'set-expiry': {
          const { values, positionals } = parseArgs({
            args: [...args],
            strict: true,
            allowPositionals: true,
            options: EXPIRY_OPTIONS,
          });
          const batchId = arg(positionals, 0, 'BATCH_ID');
          const b = await setBatchExpiry(ctx.core, ctx.actor, batchId, expiryOf(values, ctx.core.now()));
          ctx.out(`${batchId} now expires at ${iso(b.expiresAt)}`);
          return 0;
        }
        case 'revoke': {
          const batchId = arg(args, 0, 'BATCH_ID');
          await revokeBatch(ctx.core, ctx.actor, batchId);
          ctx.out(`revoked ${batchId}: workstations holding it erase it at their next sync`);
          return 0;
        }
        case 'hand-over':
          return await forceHandOver(ctx, arg(args, 0, 'BATCH_ID'));
        default:
          throw new UsageError(`Unknown batches action "${action ?? ''}".`);
      }
    } catch (error) {
      if (error instanceof HttpError) {
        // Refused and audited by the act; the operator sees why.
        ctx.out(error.message);
        return 1;
      }
      if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
        throw new UsageError(error.message);
      }
      throw error;
    }
  },
};
