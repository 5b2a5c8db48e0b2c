import type { TimingRoom } from '../../service/store/repositories';

/**
 * The room a test gives timing records it stores in the service's store directly, to set up a
 * report: no daily bound (test/service/timing-daily-limit.test.ts tests the bound).
 */
export const UNBOUNDED_ROOM: TimingRoom = { limit: Number.MAX_SAFE_INTEGER, since: 0 };
