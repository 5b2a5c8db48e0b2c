/**
 * Offline results packages: verified against the signing key the device enrolled with, opened
 * with the service key, and applied op by op through the same permanent dedupe as online
 * uploads, so a package imported twice (or after the same work synced online) changes nothing.
 */
import type { OpResult, ResultsImportResponse } from '../../shared/sync/messages';
import { MAX_RESULTS_PACKAGE_BYTES, paths, type OpKind } from '../../shared/sync/protocol';
import type { ResultsOp } from '../../shared/sync/results-package';
import { signingPublicKeyFromRaw } from '../../core/crypto/signing-key';
import { openResultsPackage, readResultsHeader, ResultsPackageError } from '../../core/package/results-package';
import type { Core } from '../core';
import { HttpError } from '../http';
import type { IncomingOp, Repositories } from '../store/repositories';
import { incoming, incomingAll } from './op.routes';
import type { Route } from './route';

function toIncoming(tx: Repositories, account: string, r: ResultsOp): Promise<IncomingOp> {
  if (r.kind === 'annotation') {
    return incoming.annotation(tx, account, r.op);
  }
  return r.kind === 'escalation' ? incoming.escalation(tx, account, r.op) : incoming.audit(tx, account, r.op);
}

/** Applies ops in package order, one unit of work per run of one kind. */
async function applyInOrder(
  core: Core,
  account: string,
  ops: readonly ResultsOp[],
): Promise<(OpResult & { kind: OpKind })[]> {
  const results: (OpResult & { kind: OpKind })[] = [];
  let i = 0;
  while (i < ops.length) {
    const kind = (ops[i] as ResultsOp).kind;
    let j = i;
    while (j < ops.length && (ops[j] as ResultsOp).kind === kind) {
      j += 1;
    }
    const run = ops.slice(i, j);
    const applied = await core.store.transaction(async (tx) =>
      tx.ops.apply(
        kind,
        account,
        await incomingAll(run, (r) => toIncoming(tx, account, r)),
        core.now(),
        'results_package',
      ),
    );
    results.push(...applied.map((r) => ({ ...r, kind })));
    i = j;
  }
  return results;
}

export const resultsPackageRoute: Route = {
  method: 'POST',
  path: paths.resultsPackages,
  // The device signature is the authentication: an offline station has no session.
  auth: false,
  upload: true,
  bodyLimit: MAX_RESULTS_PACKAGE_BYTES,
  async handle({ core, body }) {
    try {
      const header = readResultsHeader(body);
      const account = await core.store.accounts.byPseudonym(header.author);
      const device = account ? await core.store.devices.find(account, header.device.keyId) : undefined;
      if (!account || !device) {
        throw new HttpError(
          403,
          'device_not_enrolled',
          'The package comes from a device this reviewer has not enrolled.',
        );
      }
      const { body: content } = openResultsPackage(
        body,
        signingPublicKeyFromRaw(device.signingKey),
        await core.serviceKey(),
      );
      const results = await applyInOrder(core, account, content.ops);
      const timing =
        content.timing.length > 0 ? (await core.store.timing.add(account, content.timing, core.now())).length : 0;
      const response: ResultsImportResponse = { keyId: header.device.keyId, results, timingAccepted: timing };
      return { status: 200, json: response };
    } catch (error) {
      if (error instanceof ResultsPackageError) {
        throw new HttpError(400, 'bad_request', error.message);
      }
      throw error;
    }
  },
};
