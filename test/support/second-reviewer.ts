/**
 * A second reviewer account for tests of one workstation shared by two reviewers: the demo
 * reviewer signs in first, this one after. Same one-time-code secret as the demo reviewer, so the
 * reference service's `nextCode` serves both.
 */
import { DEMO_REVIEWER, type SeedAccount } from '../../service/seed';

export const SECOND_REVIEWER: SeedAccount = {
  account: 'reviewer-b',
  password: 'password of reviewer-b',
  totpSecret: DEMO_REVIEWER.totpSecret,
  pseudonym: 'rv-b',
  role: 'reviewer',
};
