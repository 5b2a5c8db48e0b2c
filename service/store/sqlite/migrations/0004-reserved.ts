import type { Migration } from './types';

/**
 * Version 4 is taken by a schema change made alongside version 5; the runner numbers steps
 * without gaps, so this step holds its place and changes nothing.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'reserved',
  up() {
    // Nothing: the number is held for the change that owns it.
  },
};
