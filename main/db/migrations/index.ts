import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-vault';
import { migration0003 } from './0003-annotations';
import { migration0004 } from './0004-timing';
import { migration0005 } from './0005-sync';
import { migration0006 } from './0006-wrapped-key-encoding';
import { migration0007 } from './0007-sealed-escalations';
import { migration0008 } from './0008-import-staging';
import { migration0009 } from './0009-outbox-writer';
import { migration0010 } from './0010-sync-marks';
import { migration0012 } from './0012-sealed-review-facts';
import { migration0013 } from './0013-escalation-answers';
import { migration0016 } from './0016-compact-erased-clips';
import { migration0017 } from './0017-sealed-timing-labels';
import { migration0018 } from './0018-quarantined-clips-index';
import { migration0019 } from './0019-sync-batch-owner';
import { migration0020 } from './0020-parked-ops-index';
import { migration0021 } from './0021-drop-synced-at';
import { migration0022 } from './0022-drop-checked-at';
import type { Migration } from './types';

/** Every migration, in version order. Add one file per new version and list it here. */
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
  migration0012,
  migration0013,
  migration0016,
  migration0017,
  migration0018,
  migration0019,
  migration0020,
  migration0021,
  migration0022,
];
