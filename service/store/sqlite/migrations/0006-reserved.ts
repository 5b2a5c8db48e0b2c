import type { Migration } from './types';

/** Schema version 6 is taken by another change; this step only keeps the versions without gaps. */
export const migration0006: Migration = {
  version: 6,
  name: 'reserved',
  up() {
    // Nothing: the change that owns this version replaces this file.
  },
};
