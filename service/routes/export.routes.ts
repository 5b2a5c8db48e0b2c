/**
 * `GET /v1/export/annotations?batch=&since=&limit=&revisions=all|current&format=jsonl|trn`, for an
 * operator's session only: one page of the annotation export, with the cursor to resume from in
 * the `earmark-next-cursor` header. Every export, and every refusal of one, is audited.
 */
import { z } from 'zod';
import { batchIdSchema } from '../../shared/batch-package/pseudonymous-ids';
import { EXPORT_COMPLETE_HEADER, EXPORT_NEXT_CURSOR_HEADER, paths } from '../../shared/sync/protocol';
import {
  DEFAULT_EXPORT_PAGE,
  exportAnnotationPage,
  exportFormats,
  exportRevisions,
  MAX_EXPORT_PAGE,
  type ExportRequest,
} from '../annotation-export';
import { appendAudit } from '../audit';
import { HttpError } from '../http';
import { callerOf, type Route } from './route';

const AUDIT_ACTION = 'admin.export.annotations';

/** A whole number written plainly: no sign, no exponent, no leading zeros. */
const count = (max: number) =>
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/)
    .transform(Number)
    .pipe(z.int().min(0).max(max));

const exportQuerySchema = z.strictObject({
  batch: batchIdSchema.optional(),
  since: count(Number.MAX_SAFE_INTEGER).default(0),
  limit: count(MAX_EXPORT_PAGE).pipe(z.int().min(1)).default(DEFAULT_EXPORT_PAGE),
  revisions: z.enum(exportRevisions).default('current'),
  format: z.enum(exportFormats).default('jsonl'),
});

/** The query as an export request; a repeated, unknown or bad parameter is a 400 naming it. */
function exportRequestOf(url: string | undefined): ExportRequest {
  const params = new URL(url ?? '/', 'http://service.invalid').searchParams;
  const raw: Record<string, string> = {};
  for (const [name, value] of params) {
    if (name in raw) {
      throw new HttpError(400, 'bad_request', `${name}: given more than once`);
    }
    raw[name] = value;
  }
  const parsed = exportQuerySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HttpError(400, 'bad_request', `${issue?.path.join('.') || 'query'}: ${issue?.message ?? 'invalid'}`);
  }
  const q = parsed.data;
  return {
    ...(q.batch !== undefined ? { batchId: q.batch } : {}),
    afterSeq: q.since,
    limit: q.limit,
    revisions: q.revisions,
    format: q.format,
  };
}

export const exportAnnotations: Route = {
  method: 'GET',
  path: paths.exportAnnotations,
  auth: true,
  operator: true,
  audit: AUDIT_ACTION,
  async handle(ctx) {
    const q = exportRequestOf(ctx.req.url);
    const page = await exportAnnotationPage(ctx.core.store, q);
    await appendAudit(ctx.core.store, {
      at: ctx.core.now(),
      actor: callerOf(ctx).account.account,
      source: ctx.source,
      action: AUDIT_ACTION,
      subject: q.batchId ?? null,
      detail: {
        since: q.afterSeq,
        nextCursor: page.nextCursor,
        lines: page.lines,
        revisions: q.revisions,
        format: q.format,
      },
    });
    return {
      status: 200,
      bytes: Buffer.from(page.body, 'utf8'),
      contentType: q.format === 'jsonl' ? 'application/x-ndjson; charset=utf-8' : 'text/plain; charset=utf-8',
      headers: {
        [EXPORT_NEXT_CURSOR_HEADER]: String(page.nextCursor),
        [EXPORT_COMPLETE_HEADER]: String(page.complete),
      },
    };
  },
};
