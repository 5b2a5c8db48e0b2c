/**
 * Calls made on the signed-in reviewer's behalf, outside the sync cycle: a supervisor's page of
 * team shifts, and the hearing and second-listen exchanges. Each needs a service and a valid
 * token, and says so when either is missing.
 */
import type { TeamShiftsQuery, TeamShiftsResponse } from '../../../shared/sync/team-shifts';
import { ServiceError } from '../service-error';
import { hearingHttp, type HearingHttp } from './hearing-http';
import { SyncHttpError, type SyncHttp } from './sync-http';
import type { SyncSession } from './sync-session';

export function createSessionCalls(
  http: SyncHttp | null,
  session: Pick<SyncSession, 'validToken' | 'forgetToken'>,
  isLocked: () => boolean,
) {
  const connect = (unavailable: string): { readonly client: SyncHttp; readonly token: string } => {
    const token = http ? session.validToken() : null;
    if (!http || token === null) {
      throw new ServiceError('UNAVAILABLE', unavailable);
    }
    return { client: http, token };
  };
  return {
    /** Runs `work` with the service's client and a valid token; null without either (offline, signed out, locked). */
    online: async <T>(work: (client: SyncHttp, token: string) => Promise<T>): Promise<T | null> => {
      const token = http && !isLocked() ? session.validToken() : null;
      return http && token !== null ? work(http, token) : null;
    },
    /**
     * One page of the team's shifts, for a signed-in supervisor, through this session's token.
     * @throws ServiceError UNAVAILABLE without a service or a valid token; SyncHttpError from the request
     */
    async teamShifts(query: TeamShiftsQuery): Promise<TeamShiftsResponse> {
      const { client, token } = connect('No session with the annotation service: sign in again.');
      try {
        return await client.teamShifts(token, query);
      } catch (error) {
        if (error instanceof SyncHttpError && error.status === 401) {
          // The service ended the session: the next sign-in gets a new one, as for sync.
          session.forgetToken();
        }
        throw error;
      }
    },
    /** The hearing and second-listen calls for the current session; unavailable offline or signed out. */
    hearing(): HearingHttp {
      const { client, token } = connect('Sign in to the annotation service to hear a clip or ask your team.');
      return hearingHttp(client, token);
    },
  };
}
