import type { Migration } from './types';

/** Schema version 5 is taken by another change; this step only keeps the versions without gaps. */
export const migration0005: Migration = {
  version: 5,
  name: 'reserved',
  up() {
    // Nothing: the change that owns this version replaces this file.
  },
};
