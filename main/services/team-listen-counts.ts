/**
 * The team's second-listen counts for team reports: asked for once per list of team shifts,
 * over the window the shifts were listed for, and handed out per reviewer of a report.
 */
import type { SecondListenCounts } from '../../shared/domain/timing';
import type { TeamSecondListensQuery } from '../../shared/sync/hearing-messages';
import type { Logger } from '../log/logger';

export type TeamListenCountsDeps = {
  /** Asks the service; throws when there is no session or no answer. Absent without a service. */
  readonly fetch?: ((query: TeamSecondListensQuery) => Promise<SecondListenCounts>) | undefined;
  readonly logger: Logger;
};

export function createTeamListenCounts(d: TeamListenCountsDeps) {
  let counts: SecondListenCounts | null = null;
  return {
    /** Asks for the counts over [from, to); without an answer, reports carry none. */
    async refresh(from: number, to: number): Promise<void> {
      counts = null;
      try {
        counts = (await d.fetch?.({ from: new Date(from).toISOString(), to: new Date(to).toISOString() })) ?? null;
      } catch (error) {
        d.logger.warn('reports: second-listen counts not available', {
          error: error instanceof Error ? error.name : 'unknown',
        });
      }
    },
    /** The counts of `pseudonyms` only (a report covers its reviewers, not the whole team). */
    of(pseudonyms: ReadonlySet<string>): { secondListens?: SecondListenCounts } {
      return counts === null
        ? {}
        : { secondListens: { ...counts, reviewers: counts.reviewers.filter((r) => pseudonyms.has(r.pseudonym)) } };
    },
  };
}
