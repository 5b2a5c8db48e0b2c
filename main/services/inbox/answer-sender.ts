/**
 * A supervisor's answers to escalations, queued like ops: sealed at rest under a key derived
 * from the device key (purpose `escalation-answers`, bound to the response and escalation ids),
 * sent in the order given, each under the response id made when it was given so a resend after
 * a lost answer is a duplicate on the service. A refusal the service means (the escalation moved
 * on, is not theirs to answer) settles the answer as refused with the service's code; a network
 * failure leaves it waiting for the next cycle.
 */
import { aad } from '../../../core/crypto/aead';
import { openJson, sealedFromBytes, sealedToBytes, sealJson } from '../../../core/crypto/codec';
import { deriveLocalKey, type DeviceKey } from '../../../core/crypto/device-key';
import type { InboxAnswer } from '../../../shared/domain/inbox';
import { inboxAnswerSchema } from '../../../shared/ipc/inbox-schemas';
import type { EscalationAnswerRepository } from '../../db/repositories/escalation-answer.repository';
import type { Logger } from '../../log/logger';
import { SyncHttpError, type SyncHttp } from '../sync/sync-http';

/** Statuses that say the service will never take this answer: sending it again changes nothing. */
const FINAL_REFUSALS: ReadonlySet<number> = new Set([400, 403, 404, 409, 422]);

export type AnswerSenderDeps = {
  readonly answers: EscalationAnswerRepository;
  readonly deviceKey: () => DeviceKey;
  readonly now: () => number;
  readonly logger: Logger;
};

const answerAad = (responseId: string, opId: string): Buffer => aad('escalation-answer', responseId, opId);

export function createAnswerSender(d: AnswerSenderDeps) {
  let key: Buffer | undefined;
  const localKey = (): Buffer => (key ??= deriveLocalKey(d.deviceKey(), 'escalation-answers'));
  let running: Promise<void> = Promise.resolve();

  const sendAll = async (http: SyncHttp, token: string, author: string): Promise<void> => {
    for (const row of d.answers.pending(author)) {
      let answer: InboxAnswer;
      try {
        answer = openJson(
          localKey(),
          sealedFromBytes(row.body),
          answerAad(row.responseId, row.opId),
          inboxAnswerSchema,
        );
      } catch {
        d.answers.refused(row.responseId, 'unreadable', d.now());
        d.logger.warn('inbox: a queued answer did not open', { responseId: row.responseId });
        continue;
      }
      d.answers.attempted(row.responseId);
      try {
        await http.respondToEscalation(token, row.opId, { responseId: row.responseId, ...answer });
        d.answers.sent(row.responseId, d.now());
      } catch (error) {
        if (error instanceof SyncHttpError && error.failure === 'http' && FINAL_REFUSALS.has(error.status)) {
          d.answers.refused(row.responseId, error.code ?? String(error.status), d.now());
          d.logger.warn('inbox: an answer was refused', { responseId: row.responseId, status: error.status });
          continue;
        }
        throw error; // Network, 5xx, 401: it waits for the next cycle.
      }
    }
  };

  return {
    /** Seals and queues one answer. */
    queue(row: { responseId: string; author: string; opId: string; answer: InboxAnswer }): void {
      const sealed = sealJson(localKey(), row.answer, answerAad(row.responseId, row.opId));
      d.answers.add({
        responseId: row.responseId,
        author: row.author,
        opId: row.opId,
        action: row.answer.action,
        body: sealedToBytes(sealed),
        createdAt: d.now(),
      });
    },
    /** Sends what waits, one run at a time; rejects with the failure that stopped it. */
    send(http: SyncHttp, token: string, author: string): Promise<void> {
      const next = running.then(() => sendAll(http, token, author));
      running = next.catch(() => undefined);
      return next;
    },
    /** Zero-fills and drops the key (the lock); the next use derives it again. */
    forgetKey(): void {
      key?.fill(0);
      key = undefined;
    },
  };
}

export type AnswerSender = ReturnType<typeof createAnswerSender>;
