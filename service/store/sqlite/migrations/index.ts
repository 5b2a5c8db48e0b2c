import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-audit';
import { migration0003 } from './0003-operators-devices';
import { migration0004 } from './0004-batch-holders';
import { migration0005 } from './0005-op-devices-epoch';
import { migration0006 } from './0006-teams';
import { migration0007 } from './0007-escalation-responses';
import { migration0008 } from './0008-hearings';
import { migration0009 } from './0009-gold-clips';
import { migration0010 } from './0010-fault-switch';
import { migration0011 } from './0011-upload-slots';
import { migration0012 } from './0012-export-withdrawals';
import { migration0013 } from './0013-timing-read-indexes';
import { migration0014 } from './0014-sign-in-expiry-indexes';
import { migration0015 } from './0015-closed-escalations-index';
import { migration0016 } from './0016-timing-received-index';
import { migration0017 } from './0017-spent-challenges';
import type { Migration } from './types';

/** Every migration of the service database, in version order. Add one file per new version and list it here. */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
  migration0015,
  migration0016,
  migration0017,
];
