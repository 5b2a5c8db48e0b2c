import type { Migration } from './types';

/** Schema version 4 is taken by another change; this step only keeps the versions without gaps. */
export const migration0004: Migration = {
  version: 4,
  name: 'reserved',
  up() {
    // Nothing: the change that owns this version replaces this file.
  },
};
