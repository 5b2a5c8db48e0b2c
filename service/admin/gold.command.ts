/**
 * `admin gold add|list|remove|mix`: gold clips, whose right answer only the service holds, mixed
 * into batches to measure accuracy beside speed (docs/gold-clips.md). Every act is audited; no
 * output ever prints a reference.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ClipDetails } from '../../shared/batch-package/manifest';
import type { Disposition } from '../../shared/domain/annotation';
import { appendAudit } from '../audit';
import { addGoldClip, mixGoldClips, removeGoldClip } from '../gold';
import { HttpError } from '../http';
import { arg, UsageError, type AdminGroup, type AdminContext } from './command';

const ADD_OPTIONS = {
  asr: { type: 'string' },
  reference: { type: 'string' },
  disposition: { type: 'string' },
  locale: { type: 'string', default: 'en-US' },
  domain: { type: 'string' },
  'device-type': { type: 'string' },
  'wake-word': { type: 'string' },
} as const;

function readAudio(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new UsageError(`Cannot read the audio file "${path}": ${(error as NodeJS.ErrnoException).code ?? 'error'}.`);
  }
}

/** The hints a package may carry for the clip, from the options given. */
function hintsOf(v: { domain?: string; 'device-type'?: string; 'wake-word'?: string }): ClipDetails['hints'] {
  const wake = v['wake-word'];
  if (wake !== undefined && wake !== 'yes' && wake !== 'no') {
    throw new UsageError('--wake-word takes yes or no.');
  }
  return {
    ...(v.domain !== undefined ? { domain: v.domain } : {}),
    // Checked against the manifest's list by addGoldClip.
    ...(v['device-type'] !== undefined
      ? { deviceType: v['device-type'] as NonNullable<ClipDetails['hints']>['deviceType'] }
      : {}),
    ...(wake !== undefined ? { wakeWordDetected: wake === 'yes' } : {}),
  };
}

async function add(ctx: AdminContext, args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], options: ADD_OPTIONS, allowPositionals: true });
  const file = arg(positionals, 0, 'AUDIO_FILE');
  if (values.asr === undefined || values.reference === undefined || values.disposition === undefined) {
    throw new UsageError('--asr, --reference and --disposition are needed.');
  }
  const goldId = await addGoldClip(ctx.core, ctx.actor, {
    audio: readAudio(file),
    asrText: values.asr,
    reference: values.reference,
    // Checked against the list by addGoldClip, which refuses (and audits) anything else.
    disposition: values.disposition as Disposition,
    locale: values.locale,
    hints: hintsOf(values),
  });
  ctx.out(`added gold clip ${goldId}`);
  return 0;
}

async function list(ctx: AdminContext, args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { all: { type: 'boolean', default: false } } });
  const golds = await ctx.core.store.gold.list({ removed: values.all });
  await appendAudit(ctx.core.store, {
    at: ctx.core.now(),
    actor: ctx.actor.operator,
    source: ctx.actor.source,
    action: 'admin.gold.list',
    detail: { count: golds.length },
  });
  ctx.out('gold_id\tlocale\tdisposition\tduration_ms\tuses\tcreated\tby\tremoved');
  for (const g of golds) {
    ctx.out(
      [
        g.goldId,
        g.locale,
        g.disposition,
        g.durationMs,
        g.uses,
        new Date(g.createdAt).toISOString(),
        g.createdBy,
        g.removedAt === null ? '-' : new Date(g.removedAt).toISOString(),
      ].join('\t'),
    );
  }
  return 0;
}

export const goldGroup: AdminGroup = {
  name: 'gold',
  usage: [
    'gold add AUDIO_FILE --asr TEXT --reference TEXT --disposition DISPOSITION [--locale en-US]',
    '         [--domain D] [--device-type T] [--wake-word yes|no]   (reference marks [CRITICAL:<category>])',
    'gold list [--all]',
    'gold remove GOLD_ID   (mixed no more; uses made are still scored)',
    'gold mix BATCH_ID GOLD_ID [GOLD_ID …]   (before the batch is first checked out)',
  ],
  async run(ctx, action, args) {
    try {
      switch (action) {
        case 'add':
          return await add(ctx, args);
        case 'list':
          return await list(ctx, args);
        case 'remove': {
          const goldId = arg(args, 0, 'GOLD_ID');
          await removeGoldClip(ctx.core, ctx.actor, goldId);
          ctx.out(`removed gold clip ${goldId}: it is mixed into no more batches`);
          return 0;
        }
        case 'mix': {
          const batchId = arg(args, 0, 'BATCH_ID');
          const goldIds = args.slice(1);
          if (goldIds.length === 0) {
            throw new UsageError('Missing GOLD_ID.');
          }
          const clipIds = await mixGoldClips(ctx.core, ctx.actor, batchId, goldIds);
          ctx.out(`mixed ${clipIds.length} gold clip(s) into ${batchId} at random places, under fresh clip ids`);
          return 0;
        }
        default:
          throw new UsageError(`Unknown gold action "${action ?? ''}".`);
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
