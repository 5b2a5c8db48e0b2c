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
import type { IncomingOp } from '../store/op-store';
import { incoming } from './op.routes';
import type { Route } from './route';

function toIncoming(core: Core, account: string, r: ResultsOp): IncomingOp {
  if (r.kind === 'annotation') {
    return incoming.annotation(core, account, r.op);
  }
  return r.kind === 'escalation' ? incoming.escalation(core, account, r.op) : incoming.audit(core, account, r.op);
}

/** Applies ops in package order, one transaction per run of one kind. */
function applyInOrder(core: Core, account: string, ops: readonly ResultsOp[]): (OpResult & { kind: OpKind })[] {
  const results: (OpResult & { kind: OpKind })[] = [];
  let i = 0;
  while (i < ops.length) {
    const kind = (ops[i] as ResultsOp).kind;
    let j = i;
    while (j < ops.length && (ops[j] as ResultsOp).kind === kind) {
      j += 1;
    }
    const run = ops.slice(i, j).map((r) => toIncoming(core, account, r));
    results.push(...core.ops.apply(kind, account, run, core.now(), 'results_package').map((r) => ({ ...r, kind })));
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
  handle({ core, body }) {
    try {
      const header = readResultsHeader(body);
      const account = core.auth.accountOf(header.author);
      const device = account ? core.auth.device(account, header.device.keyId) : undefined;
      if (!account || !device) {
        throw new HttpError(
          403,
          'device_not_enrolled',
          'The package comes from a device this reviewer has not enrolled.',
        );
      }
      const { body: content } = openResultsPackage(body, signingPublicKeyFromRaw(device.signingKey), core.serviceKey);
      const results = applyInOrder(core, account, content.ops);
      const timing = content.timing.length > 0 ? core.timing.add(account, content.timing, core.now()).length : 0;
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
