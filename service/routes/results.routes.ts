/**
 * Offline results packages, uploaded under a session and read as a stream: the header and its
 * device signature first (against the signing key the device enrolled with), then exactly the
 * body length the header declares, hashed as it arrives and checked against the signed SHA-256
 * before anything is decrypted. At most two uploads are read at once in a process, one per
 * account; once read, at most two are decrypted and stored at once across every process on the
 * store, and one per account (service/upload-gate.ts). The ops are applied through the same
 * permanent dedupe as online uploads, so a package imported twice (or after the same work synced
 * online) changes nothing.
 */
import { createHash } from 'node:crypto';
import type { OpResult, ResultsImportResponse } from '../../shared/sync/messages';
import { MAX_RESULTS_PACKAGE_BYTES, paths, type OpKind } from '../../shared/sync/protocol';
import {
  RESULTS_PREAMBLE_BYTES,
  RESULTS_SIGNATURE_BYTES,
  type ResultsHeader,
  type ResultsOp,
} from '../../shared/sync/results-package';
import { signingPublicKeyFromRaw } from '../../core/crypto/signing-key';
import {
  checkResultsBody,
  openResultsBody,
  parseResultsHeader,
  resultsHeaderLength,
  ResultsPackageError,
  verifyResultsHeader,
} from '../../core/package/results-package';
import { bodyReader, type BodyReader } from '../body-reader';
import type { Core } from '../core';
import { scoreGoldOps } from '../gold-scoring';
import { HttpError } from '../http';
import type { IncomingOp, Repositories } from '../store/repositories';
import { admitToProcess, admitToStore } from '../upload-gate';
import { auditWriterRefusals, heldOpIds, incoming, incomingAll, type OpSender } from './op.routes';
import { storeTiming } from '../timing-checks';
import { callerOf, type Route, type RouteContext } from './route';

function toIncoming(tx: Repositories, who: OpSender, r: ResultsOp): Promise<IncomingOp> {
  if (r.kind === 'annotation') {
    return incoming.annotation(tx, who, r.op);
  }
  return r.kind === 'escalation' ? incoming.escalation(tx, who, r.op) : incoming.audit(tx, who, r.op);
}

/**
 * Applies ops in package order, one unit of work per run of one kind, as sent by the device that
 * signed the package (so one writer per batch holds here as online).
 */
async function applyInOrder(
  core: Core,
  who: OpSender,
  source: string,
  ops: readonly ResultsOp[],
): Promise<(OpResult & { kind: OpKind })[]> {
  const account = who.account;
  const results: (OpResult & { kind: OpKind })[] = [];
  let i = 0;
  while (i < ops.length) {
    const kind = (ops[i] as ResultsOp).kind;
    let j = i;
    while (j < ops.length && (ops[j] as ResultsOp).kind === kind) {
      j += 1;
    }
    const run = ops.slice(i, j);
    const now = core.now();
    const applied = await core.store.transaction(async (tx) => {
      const done = await tx.ops.apply(
        kind,
        account,
        await incomingAll(run, (r) => toIncoming(tx, who, r)),
        now,
        'results_package',
      );
      // The signed header names the device the work was done on: its figures count these ops.
      await tx.syncState.recordDevice(account, who.keyId, heldOpIds(done));
      const batchOf = new Map(run.map((r) => [r.op.opId, r.op.batchId]));
      await auditWriterRefusals(tx, { at: now, who, source, kind }, done, (id) => batchOf.get(id));
      const annotations = run.flatMap((r) => (r.kind === 'annotation' ? [r.op] : []));
      await scoreGoldOps(tx, account, annotations, done, now);
      return done;
    });
    core.metrics.opsApplied(kind, applied);
    results.push(...applied.map((r) => ({ ...r, kind })));
    i = j;
  }
  return results;
}

/** Roles whose session may upload another reviewer's package (operators, who carry packages in). */
const UPLOAD_FOR_OTHERS_ROLES: readonly string[] = ['operator'];

/** A declared length above the limit is refused before a byte of the body is read. */
function refuseDeclaredLength(ctx: RouteContext): number | undefined {
  const declared = ctx.req.headers['content-length'];
  if (declared === undefined) {
    return undefined;
  }
  const length = Number(declared);
  if (!Number.isSafeInteger(length) || length > MAX_RESULTS_PACKAGE_BYTES) {
    throw new HttpError(413, 'payload_too_large', `A results package is at most ${MAX_RESULTS_PACKAGE_BYTES} bytes.`);
  }
  return length;
}

/** The header and its signature, read and checked before any of the body. */
async function readSignedHeader(
  ctx: RouteContext,
  reader: BodyReader,
): Promise<{ header: ResultsHeader; account: string; headBytes: number }> {
  const preamble = await reader.take(RESULTS_PREAMBLE_BYTES);
  const head = Buffer.concat([preamble, await reader.take(resultsHeaderLength(preamble))]);
  const header = parseResultsHeader(head);
  const signature = await reader.take(RESULTS_SIGNATURE_BYTES);
  const caller = callerOf(ctx).account;
  const account = await ctx.core.store.accounts.byPseudonym(header.author);
  if (account !== caller.account && !UPLOAD_FOR_OTHERS_ROLES.includes(caller.role)) {
    throw new HttpError(403, 'forbidden', 'A reviewer may upload only their own results.');
  }
  const device = account ? await ctx.core.store.devices.find(account, header.device.keyId) : undefined;
  if (!account || !device) {
    throw new HttpError(403, 'device_not_enrolled', 'The package comes from a device this reviewer has not enrolled.');
  }
  verifyResultsHeader(head, signature, signingPublicKeyFromRaw(device.signingKey));
  return { header, account, headBytes: head.length + signature.length };
}

async function upload(ctx: RouteContext) {
  const declared = refuseDeclaredLength(ctx);
  // Both slots are the session's account's (an operator's when carrying a package in).
  const uploader = callerOf(ctx).account.account;
  const releaseProcess = admitToProcess(ctx.core.largeUploads, uploader);
  try {
    const reader = bodyReader(ctx.req, (n) => ctx.core.largeUploads.countRead(n));
    const { header, account, headBytes } = await readSignedHeader(ctx, reader);
    if (declared !== undefined && declared !== headBytes + header.body.size) {
      throw new HttpError(
        400,
        'bad_request',
        `The request is ${declared} bytes long, but its signed header makes the package ${headBytes + header.body.size}.`,
      );
    }
    // Read exactly what the signed header declares, hashing as it comes; nothing past it.
    const hash = createHash('sha256');
    const body = await reader.stream(header.body.size, (chunk) => hash.update(chunk));
    await reader.expectEnd();
    // The whole body is here: only now a store-wide slot, so a client sending slowly holds none.
    const releaseSlot = await admitToStore(ctx.core.uploadLeases, uploader);
    try {
      checkResultsBody(header, body, hash.digest('hex'));
      const content = openResultsBody(header, body, await ctx.core.serviceKey());
      const results = await applyInOrder(ctx.core, { account, keyId: header.device.keyId }, ctx.source, content.ops);
      // Records whose times cannot be taken are left out and audited, as online.
      const timing =
        content.timing.length > 0
          ? await storeTiming(
              ctx.core,
              { account, keyId: header.device.keyId, source: ctx.source, action: 'results.upload' },
              content.timing,
            )
          : { accepted: [] };
      const response: ResultsImportResponse = {
        keyId: header.device.keyId,
        results,
        timingAccepted: timing.accepted.length,
      };
      return { status: 200, json: response };
    } finally {
      await releaseSlot();
    }
  } finally {
    releaseProcess();
  }
}

export const resultsPackageRoute: Route = {
  method: 'POST',
  path: paths.resultsPackages,
  // A session (the reviewer's own, or an operator's) and the device signature on the header.
  auth: true,
  upload: true,
  streamBody: true,
  audit: 'results.upload',
  async handle(ctx) {
    try {
      return await upload(ctx);
    } catch (error) {
      if (error instanceof ResultsPackageError) {
        throw error.tooLarge
          ? new HttpError(413, 'payload_too_large', error.message)
          : new HttpError(400, 'bad_request', error.message);
      }
      throw error;
    }
  },
};
