/**
 * The demo reviewer of a test service, signed in on a device enrolled with an operator's code (so
 * approved), with the calls a shift makes: check a batch out, upload annotations and escalations.
 */
import { randomUUID } from 'node:crypto';
import { generateDeviceKey } from '../../core/crypto/device-key';
import type { AnnotationOp, EscalationOp } from '../../shared/sync/messages';
import type { TestService } from './reference-service';
import { deviceEnrolment } from '../../main/services/sync/sync-steps';

export type ApprovedReviewer = {
  /** Calls the service with the reviewer's token; JSON in, status and raw bytes out. */
  call(method: string, path: string, json?: unknown): Promise<{ status: number; bytes: Buffer }>;
  checkout(batchId: string): Promise<{ status: number; bytes: Buffer }>;
  annotation(batchId: string, clipId: string, transcript: string): AnnotationOp;
  escalation(batchId: string, clipId: string, note: string): EscalationOp;
};

/** Signs in with a new device, enrolled with `enrolmentCode` (one of the service's unused ones by default). */
export async function approvedReviewer(svc: TestService, enrolmentCode?: string): Promise<ApprovedReviewer> {
  const device = generateDeviceKey();
  const signedIn = await fetch(`${svc.url}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(await svc.signInBody({ device })),
  });
  const { token } = (await signedIn.json()) as { token: string };
  const call = async (method: string, path: string, json?: unknown) => {
    const r = await fetch(`${svc.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    return { status: r.status, bytes: Buffer.from(await r.arrayBuffer()) };
  };
  const enrolled = await call('POST', '/v1/devices', deviceEnrolment(device, enrolmentCode ?? svc.enrolmentCode()));
  if (enrolled.status !== 201) {
    throw new Error(`enrolment answered ${enrolled.status}`);
  }
  return {
    call,
    checkout: (batchId) => call('POST', `/v1/batches/${batchId}/checkout`, { keyId: device.keyId }),
    annotation: (batchId, clipId, transcript) => ({
      opId: randomUUID(),
      batchId,
      clipId,
      revision: 1,
      baseRevision: 0,
      baseOpId: null,
      disposition: 'transcribed',
      transcript,
      criticalCategories: [],
      entities: [],
      submittedAt: 1,
    }),
    escalation: (batchId, clipId, note) => ({
      opId: randomUUID(),
      batchId,
      clipId,
      category: 'other',
      note,
      createdAt: svc.now(),
    }),
  };
}
