/**
 * The signed-in account's own second-listen requests, as the service last told them. The sync
 * cycle asks for them (one request per cycle that reaches the service), so the review screen
 * reads a proposal from memory here and never waits on the network when it switches clips.
 * The list is kept in memory for the session only: a proposal is text about a clip, and
 * nothing of it is written to disk.
 */
import type { OwnListenRequest } from '../../shared/sync/hearing-messages';
import type { Logger } from '../log/logger';
import type { EventHub } from './event-hub';
import type { SyncService } from './sync.service';
import { hearingHttp } from './sync/hearing-http';

export type OwnListenRequestsDeps = {
  readonly sync: Pick<SyncService, 'addStep'>;
  readonly events: Pick<EventHub, 'emit' | 'on'>;
  readonly logger: Logger;
};

/** Proposals that wait for the requester's decision. */
const waitingOf = (requests: readonly OwnListenRequest[]): number =>
  requests.filter((r) => r.state === 'answered').length;

/** What the window is told has changed: no text, so nothing of a clip leaves on the event. */
const sameList = (a: readonly OwnListenRequest[], b: readonly OwnListenRequest[]): boolean =>
  a.length === b.length &&
  a.every((r, i) => {
    const o = b[i];
    return o !== undefined && o.requestId === r.requestId && o.state === r.state && o.proposal === r.proposal;
  });

export function createOwnListenRequests(d: OwnListenRequestsDeps) {
  let requests: readonly OwnListenRequest[] = [];
  /** Bumped at every sign-in and sign-out: a list asked for before one is dropped when it arrives. */
  let session = 0;

  const keep = (next: readonly OwnListenRequest[]): void => {
    if (!sameList(requests, next)) {
      requests = next;
      d.events.emit('listen:changed', { waiting: waitingOf(next) });
    }
  };

  d.sync.addStep(async (http, token) => {
    const askedIn = session;
    try {
      const mine = await hearingHttp(http, token).mine();
      if (askedIn === session) {
        keep(mine);
      }
    } catch (error) {
      d.logger.warn('listen: own requests were not refreshed', {
        error: error instanceof Error ? error.name : 'error',
      });
    }
  });
  // Another account's requests are never shown to the next: a sign-in over a session that lapsed
  // (no sign-out between) starts empty too.
  const forget = (): void => {
    session += 1;
    keep([]);
  };
  const off = [d.events.on('session:signedOut', forget), d.events.on('session:signedIn', forget)];
  const unsubscribe = (): void => off.forEach((o) => o());

  return {
    /** The requests as last fetched, newest first; no request leaves for them. */
    current: (): readonly OwnListenRequest[] => requests,
    /** The requester decided on a proposal: shown so at once, without waiting for the next cycle. */
    decided(requestId: string, decision: 'accepted' | 'ignored'): void {
      keep(requests.map((r) => (r.requestId === requestId ? { ...r, state: decision } : r)));
    },
    dispose: (): void => unsubscribe(),
  };
}

export type OwnListenRequests = ReturnType<typeof createOwnListenRequests>;
