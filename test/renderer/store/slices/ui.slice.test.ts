import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppStore, type AppStore } from '../../../../renderer/store';
import { createInProcessApi, type InProcessApi } from '../../../support/in-process-api';

describe('ui slice', () => {
  let main: InProcessApi;
  let store: AppStore;

  beforeEach(() => {
    main = createInProcessApi();
    store = createAppStore(main.api);
  });

  afterEach(() => {
    main.cleanup();
  });

  it('starts with the help closed, toggles it, and closes it', () => {
    expect(store.getState().ui.helpOpen).toBe(false);

    store.getState().ui.toggleHelp();
    expect(store.getState().ui.helpOpen).toBe(true);

    store.getState().ui.closeHelp();
    expect(store.getState().ui.helpOpen).toBe(false);

    store.getState().ui.closeHelp();
    expect(store.getState().ui.helpOpen).toBe(false);
  });
});
