/**
 * `admin export annotations`: the annotation export of `GET /v1/export/annotations` on the
 * service host, page after page until nothing more is stored, to standard output or a file. The
 * cursor to resume from goes to standard error, apart from the export itself; the run is audited.
 */
import { closeSync, existsSync, fchmodSync, fsyncSync, openSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { writeAll } from '../../core/fs/durable-file';
import { idProblem } from '../../shared/batch-package/pseudonymous-ids';
import { DEFAULT_EXPORT_PAGE, exportAnnotationPage, exportFormats, type ExportFormat } from '../annotation-export';
import { appendAudit } from '../audit';
import { UsageError, type AdminContext, type AdminGroup } from './command';

const AUDIT_ACTION = 'admin.export.annotations';

/** Where the lines go: a file (appended to, so a resumed export continues it) or standard output. */
type Sink = { write(body: string, lines: number): void; close(): void };

function fileSink(path: string, resuming: boolean): Sink {
  if (!resuming && existsSync(path) && statSync(path).size > 0) {
    throw new UsageError(`"${path}" is not empty: choose a new file, or give --since to continue it.`);
  }
  let fd: number;
  try {
    // Annotations are the company's data: readable by the owner only. The mode given to open
    // applies to a new file alone, so a file being continued is made 0600 too.
    fd = openSync(path, 'a', 0o600);
  } catch (error) {
    throw new UsageError(`Cannot write "${path}": ${(error as NodeJS.ErrnoException).code ?? 'error'}.`);
  }
  try {
    fchmodSync(fd, 0o600);
  } catch (error) {
    closeSync(fd);
    throw new UsageError(
      `Cannot make "${path}" readable by its owner only: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`,
    );
  }
  return {
    write: (body) => {
      // A short write (a full disk) must not let the cursor after it claim the page.
      writeAll(fd, Buffer.from(body, 'utf8'), { path });
    },
    close: () => {
      // The cursor printed after this says where to resume: the lines before it must be on the
      // disk by then, or a power cut would leave a gap that `--since` then skips.
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
  };
}

function stdoutSink(ctx: AdminContext): Sink {
  return {
    write: (body, lines) => {
      if (lines > 0) {
        // No line holds a newline of its own (JSON escapes it, trn turns it into a space).
        body.slice(0, -1).split('\n').forEach(ctx.out);
      }
    },
    close: () => undefined,
  };
}

async function annotations(ctx: AdminContext, args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    strict: true,
    options: {
      batch: { type: 'string' },
      since: { type: 'string', default: '0' },
      'all-revisions': { type: 'boolean', default: false },
      format: { type: 'string', default: 'jsonl' },
      out: { type: 'string' },
    },
  });
  const since = /^(0|[1-9][0-9]{0,15})$/.test(values.since) ? Number(values.since) : NaN;
  if (!Number.isSafeInteger(since)) {
    throw new UsageError('--since takes the cursor a previous export printed (a whole number).');
  }
  if (!(exportFormats as readonly string[]).includes(values.format)) {
    throw new UsageError(`--format must be one of ${exportFormats.join(', ')}.`);
  }
  const batchRefused = values.batch === undefined ? undefined : idProblem('batch', values.batch);
  if (batchRefused !== undefined) {
    throw new UsageError(`--batch is refused: ${batchRefused}.`);
  }
  const format = values.format as ExportFormat;
  const revisions = values['all-revisions'] ? 'all' : 'current';
  const sink = values.out === undefined ? stdoutSink(ctx) : fileSink(values.out, values.since !== '0');
  let cursor = since;
  let lines = 0;
  let finished = false;
  try {
    for (;;) {
      const page = await exportAnnotationPage(ctx.core.store, {
        ...(values.batch !== undefined ? { batchId: values.batch } : {}),
        afterSeq: cursor,
        limit: DEFAULT_EXPORT_PAGE,
        revisions,
        format,
      });
      sink.write(page.body, page.lines);
      lines += page.lines;
      cursor = page.nextCursor;
      if (page.complete) {
        break;
      }
    }
    finished = true;
  } finally {
    // Audited even when a page or the file's flush failed, since lines left the store; the
    // record says whether the run got to its end with everything written.
    let closed = false;
    try {
      sink.close();
      closed = true;
    } finally {
      await appendAudit(ctx.core.store, {
        at: ctx.core.now(),
        actor: ctx.actor.operator,
        source: ctx.actor.source,
        action: AUDIT_ACTION,
        subject: values.batch ?? null,
        detail: { since, nextCursor: cursor, lines, revisions, format, completed: finished && closed },
      });
    }
  }
  ctx.err(`exported ${lines} line(s); next cursor ${cursor} (resume with --since ${cursor})`);
  return 0;
}

export const exportGroup: AdminGroup = {
  name: 'export',
  usage: [
    'export annotations [--batch BATCH_ID] [--since CURSOR] [--all-revisions] [--format jsonl|trn] [--out FILE]',
    '  (current revisions unless --all-revisions; the cursor to resume from is printed on standard error)',
  ],
  async run(ctx, action, args) {
    if (action !== 'annotations') {
      throw new UsageError(`Unknown export action "${action ?? ''}".`);
    }
    try {
      return await annotations(ctx, args);
    } catch (error) {
      if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
        throw new UsageError(error.message);
      }
      throw error;
    }
  },
};
