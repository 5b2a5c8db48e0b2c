/**
 * The hearing and second-listen exchanges of the annotation service (docs/sync-protocol.md,
 * "Hearing one clip" and "Second listen") over the sync client's HTTP, each answer checked.
 */
import { z } from 'zod';
import {
  listenQueueResponseSchema,
  ownListenRequestsResponseSchema,
  teamSecondListensResponseSchema,
  type TeamSecondListensQuery,
  type TeamSecondListensResponse,
  type ListenQueueItem,
  type NewListenRequest,
  type OwnListenRequest,
  type PlaybackReport,
} from '../../../shared/sync/hearing-messages';
import { paths } from '../../../shared/sync/protocol';
import type { SyncHttp } from './sync-http';
import { listenQueueItemSchema } from '../../../shared/sync/hearing-messages';

const acknowledged = z.looseObject({ requestId: z.uuid() });

/** The calls, for one signed-in session (`token`). */
export function hearingHttp(http: SyncHttp, token: string) {
  return {
    escalationClip: (opId: string, keyId: string): Promise<Buffer> =>
      http.callPackage(token, paths.escalationClip(opId), { keyId }),
    requestClip: (requestId: string, keyId: string): Promise<Buffer> =>
      http.callPackage(token, paths.listenRequestClip(requestId), { keyId }),
    reportPlayback: (r: PlaybackReport): Promise<void> => http.callEmpty(token, paths.playbacks, r),
    ask: async (r: NewListenRequest): Promise<void> => {
      await http.callJson(token, 'POST', paths.listenRequests, acknowledged, r);
    },
    queue: async (): Promise<ListenQueueItem[]> =>
      (await http.callJson(token, 'GET', paths.listenRequests, listenQueueResponseSchema)).requests,
    mine: async (): Promise<OwnListenRequest[]> =>
      (await http.callJson(token, 'GET', paths.ownListenRequests, ownListenRequestsResponseSchema)).requests,
    take: (requestId: string): Promise<ListenQueueItem> =>
      http.callJson(token, 'POST', paths.listenRequestTake(requestId), listenQueueItemSchema),
    propose: async (requestId: string, text: string): Promise<void> => {
      await http.callJson(token, 'POST', paths.listenRequestProposal(requestId), acknowledged, { text });
    },
    decide: async (requestId: string, decision: 'accepted' | 'ignored'): Promise<void> => {
      await http.callJson(token, 'POST', paths.listenRequestDecision(requestId), acknowledged, { decision });
    },
    /** Per member of the supervisor's teams, second listens asked and answered in the window. */
    teamCounts: (query: TeamSecondListensQuery): Promise<TeamSecondListensResponse> => {
      const search = new URLSearchParams(
        Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string'),
      ).toString();
      const path = search === '' ? paths.teamSecondListens : `${paths.teamSecondListens}?${search}`;
      return http.callJson(token, 'GET', path, teamSecondListensResponseSchema);
    },
  };
}

export type HearingHttp = ReturnType<typeof hearingHttp>;
