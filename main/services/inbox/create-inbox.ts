/** Builds the escalation inbox and its answer sender from the services they need. */
import type { AppDatabase } from '../../db/database';
import type { Logger } from '../../log/logger';
import type { DeviceKeys } from '../device-keys';
import type { EventHub } from '../event-hub';
import type { SessionService } from '../session.service';
import type { SyncService } from '../sync.service';
import type { TrustedClock } from '../trusted-clock';
import { createAnswerSender } from './answer-sender';
import { createEscalationInboxService } from './escalation-inbox.service';

export function createInbox(d: {
  readonly db: Pick<AppDatabase, 'escalationAnswers'>;
  readonly deviceKeys: Pick<DeviceKeys, 'deviceKey'>;
  readonly sync: SyncService;
  readonly session: Pick<SessionService, 'vouchedRole'>;
  readonly events: EventHub;
  readonly clock: Pick<TrustedClock, 'now'>;
  readonly logger: Logger;
}) {
  const now = (): number => d.clock.now();
  return createEscalationInboxService({
    answers: d.db.escalationAnswers,
    sender: createAnswerSender({
      answers: d.db.escalationAnswers,
      deviceKey: d.deviceKeys.deviceKey,
      now,
      logger: d.logger,
    }),
    sync: d.sync,
    vouchedRole: d.session.vouchedRole,
    events: d.events,
    now,
    logger: d.logger,
  });
}
