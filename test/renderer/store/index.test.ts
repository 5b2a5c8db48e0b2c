import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../../../renderer/store';
import { batchSummary } from '../../support/batches';
import { createInProcessApi, type InProcessApi } from '../../support/in-process-api';

describe('createAppStore', () => {
  let main: InProcessApi;

  beforeEach(() => {
    main = createInProcessApi();
  });

  afterEach(() => {
    main.cleanup();
  });

  it('combines the slices under their own namespaces', () => {
    const state = createAppStore(main.api).getState();

    expect(Object.keys(state).sort()).toEqual([
      'batches',
      'inbox',
      'lock',
      'player',
      'reports',
      'review',
      'session',
      'settings',
      'sync',
      'timing',
      'ui',
    ]);
  });

  it('makes independent stores, so state never leaks between tests or windows', async () => {
    const a = createAppStore(main.api);
    const b = createAppStore(main.api);

    a.getState().ui.toggleHelp();
    a.getState().batches.received([batchSummary()]);
    await a.getState().session.load();

    expect(b.getState().ui.helpOpen).toBe(false);
    expect(b.getState().batches).toMatchObject({ items: [], loaded: false });
    expect(b.getState().session.info).toBeNull();
    expect(a.getState().session.info).not.toBeNull();
  });

  it('keeps one slice intact when another changes', () => {
    const store = createAppStore(main.api);
    const before = store.getState().batches;

    store.getState().ui.toggleHelp();

    expect(store.getState().batches).toBe(before);
  });
});
