/**
 * The escalation inbox on the workstation. Supervisors list their teams' escalations from the
 * service and answer them; answers queue here (./answer-sender.ts) and go at once when the
 * service can be reached, else with the next sync cycle. Reviewers read the state and guidance of
 * their own escalations, and the first cycle after a sign-in tells them what is new. Only a role
 * the service signed counts, as for reports. Nothing the service says about an escalation (a
 * note, guidance) is written to disk: the last answer is kept in memory for this session only.
 */
import { randomUUID } from 'node:crypto';
import type {
  EscalationStatus,
  InboxAnswer,
  InboxBadge,
  InboxView,
  MyEscalationsView,
  QueuedAnswer,
} from '../../../shared/domain/inbox';
import type { Role } from '../../../shared/domain/session';
import type { EscalationInboxResponse, MyEscalationsResponse } from '../../../shared/sync/escalation-inbox';
import type { EscalationAnswerRepository } from '../../db/repositories/escalation-answer.repository';
import type { Logger } from '../../log/logger';
import type { EventHub } from '../event-hub';
import { ServiceError } from '../service-error';
import type { SyncService } from '../sync.service';
import type { SyncHttp } from '../sync/sync-http';
import type { AnswerSender } from './answer-sender';

/** A reviewer's own escalations are asked for again at most this often by the sync cycle. */
export const MINE_EVERY_MS = 5 * 60_000;

export type InboxDeps = {
  readonly answers: EscalationAnswerRepository;
  readonly sender: AnswerSender;
  readonly sync: Pick<SyncService, 'online' | 'addStep' | 'author'>;
  /** The role the service's signed identity vouches for now. */
  readonly vouchedRole: () => Role | null;
  readonly events: Pick<EventHub, 'emit' | 'on'>;
  readonly now: () => number;
  readonly logger: Logger;
  readonly newId?: () => string;
};

export function createEscalationInboxService(d: InboxDeps) {
  const inboxes = new Map<EscalationStatus, { at: number; answer: EscalationInboxResponse }>();
  let mine: { at: number; answer: MyEscalationsResponse } | null = null;
  let badge: InboxBadge = { open: 0, urgent: 0, unseen: 0 };
  /**
   * Bumped at every sign-in and sign-out: an answer asked for in an earlier session that arrives
   * after one is dropped, so it cannot refill what the change of account emptied.
   */
  let session = 0;

  const signedIn = (): string => {
    const author = d.sync.author();
    if (author === null) {
      throw new ServiceError('UNAVAILABLE', 'The escalation inbox needs a sign-in to the annotation service.');
    }
    return author;
  };
  const supervisor = (): string => {
    if (d.vouchedRole() !== 'supervisor') {
      throw new ServiceError('FORBIDDEN_ROLE', 'The escalation inbox is for supervisors only.');
    }
    return signedIn();
  };
  const publish = (next: InboxBadge): void => {
    if (next.open !== badge.open || next.urgent !== badge.urgent || next.unseen !== badge.unseen) {
      badge = next;
      d.events.emit('inbox:changed', badge);
    }
  };
  const unseenOf = (answer: MyEscalationsResponse, author: string): number => {
    const seen = d.answers.seenAt(author);
    return answer.escalations.filter((e) => e.updatedAt !== null && e.updatedAt > seen).length;
  };
  const keepInbox = (answer: EscalationInboxResponse, askedIn: number): void => {
    if (askedIn !== session) {
      return;
    }
    inboxes.set(answer.status, { at: d.now(), answer });
    if (answer.status === 'open') {
      publish({ ...badge, open: answer.escalations.length, urgent: answer.escalations.filter((e) => e.urgent).length });
    }
  };
  const keepMine = (answer: MyEscalationsResponse, author: string, askedIn: number): void => {
    if (askedIn !== session) {
      return;
    }
    mine = { at: d.now(), answer };
    publish({ ...badge, unseen: unseenOf(answer, author) });
  };
  /** `work` online; null when the service cannot be reached now (the failure is logged). */
  const tryOnline = async <T>(work: (http: SyncHttp, token: string) => Promise<T>): Promise<T | null> => {
    try {
      return await d.sync.online(work);
    } catch (error) {
      d.logger.warn('inbox: the service did not answer', { error: error instanceof Error ? error.name : 'error' });
      return null;
    }
  };
  const queued = (author: string): QueuedAnswer[] =>
    d.answers.unsent(author).map((r) => ({
      responseId: r.responseId,
      opId: r.opId,
      action: r.action,
      createdAt: r.createdAt,
      state: r.state === 'refused' ? 'refused' : 'pending',
      problem: r.problem,
    }));

  // Each cycle that reaches the service: send what waits, then refresh what the top bar counts.
  d.sync.addStep(async (http, token) => {
    const author = d.sync.author();
    const role = d.vouchedRole();
    const askedIn = session;
    if (author === null || role === null) {
      return;
    }
    try {
      if (role === 'supervisor') {
        await d.sender.send(http, token, author);
        keepInbox(await http.escalationInbox(token, 'open'), askedIn);
      } else if (mine === null || d.now() - mine.at >= MINE_EVERY_MS) {
        keepMine(await http.myEscalations(token), author, askedIn);
      }
    } catch (error) {
      d.logger.warn('inbox: the cycle step failed', { error: error instanceof Error ? error.name : 'error' });
    }
  });
  const forget = (): void => {
    session += 1;
    inboxes.clear();
    mine = null;
    publish({ open: 0, urgent: 0, unseen: 0 });
  };
  // What one account was told is never shown to the next: a sign-in over a session that lapsed
  // (no sign-out between) starts as empty as a sign-out leaves it.
  d.events.on('session:signedOut', forget);
  d.events.on('session:signedIn', forget);
  d.events.on('lock:locked', () => d.sender.forgetKey());

  return {
    /** The supervisor's escalations in `status`, fresh from the service, or the last ones fetched. */
    async list(status: EscalationStatus): Promise<InboxView> {
      const author = supervisor();
      const askedIn = session;
      const fresh = await tryOnline((http, token) => http.escalationInbox(token, status));
      if (fresh) {
        keepInbox(fresh, askedIn);
      }
      const held = inboxes.get(status);
      return {
        online: fresh !== null && askedIn === session,
        fetchedAt: held?.at ?? null,
        status,
        urgentAfterMs: held?.answer.urgentAfterMs ?? 0,
        referralTargets: held?.answer.referralTargets ?? [],
        escalations: held?.answer.escalations ?? [],
        queued: queued(author),
      };
    },
    /** Queues an answer and tries to send it now; `sent` says whether the service holds it. */
    async respond(opId: string, answer: InboxAnswer): Promise<{ responseId: string; sent: boolean }> {
      const author = supervisor();
      const responseId = (d.newId ?? randomUUID)();
      d.sender.queue({ responseId, author, opId, answer });
      await tryOnline((http, token) => d.sender.send(http, token, author));
      return { responseId, sent: !queued(author).some((q) => q.responseId === responseId) };
    },
    dismiss(responseId: string): null {
      if (!d.answers.dismiss(responseId, supervisor())) {
        throw new ServiceError('NOT_FOUND', 'No refused answer with that id.');
      }
      return null;
    },
    /** The signed-in account's own escalations; the last ones fetched when offline. */
    async mine(): Promise<MyEscalationsView> {
      const author = signedIn();
      const askedIn = session;
      const fresh = await tryOnline((http, token) => http.myEscalations(token));
      if (fresh) {
        keepMine(fresh, author, askedIn);
      }
      const escalations = mine?.answer.escalations ?? [];
      return {
        online: fresh !== null && askedIn === session,
        escalations,
        unseen: mine ? unseenOf(mine.answer, author) : 0,
      };
    },
    /**
     * The reviewer has read the answers fetched so far. Kept in the service's time (the latest
     * answer's), so a workstation clock that differs from the service's cannot hide a new one.
     */
    markSeen(): null {
      const author = signedIn();
      const latest = Math.max(0, ...(mine?.answer.escalations ?? []).map((e) => e.updatedAt ?? 0));
      d.answers.markSeen(author, latest);
      publish({ ...badge, unseen: 0 });
      return null;
    },
    /** What the top bar counts now. */
    badge: (): InboxBadge => badge,
  };
}

export type EscalationInboxService = ReturnType<typeof createEscalationInboxService>;
