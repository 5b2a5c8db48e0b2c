import type { Migration } from './types';

/**
 * Version 9 is taken by a schema change made alongside version 10; the runner numbers steps
 * without gaps, so this step holds its place and changes nothing.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'reserved',
  up() {
    // Nothing: the number is held for the change that owns it.
  },
};
