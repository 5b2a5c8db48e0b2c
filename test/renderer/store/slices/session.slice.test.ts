import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppStore, type AppStore } from '../../../../renderer/store';
import { createInProcessApi, TEST_APP_VERSION, type InProcessApi } from '../../../support/in-process-api';

describe('session slice', () => {
  let main: InProcessApi;
  let store: AppStore;

  beforeEach(() => {
    main = createInProcessApi();
    store = createAppStore(main.api);
  });

  afterEach(() => {
    main.cleanup();
  });

  it('starts with no identity until loaded', () => {
    expect(store.getState().session).toMatchObject({ info: null, app: null, error: null });
  });

  it('fills the demo identity and the app info on load', async () => {
    await store.getState().session.load();

    const { info, app, error } = store.getState().session;
    expect(error).toBeNull();
    expect(info?.mode).toBe('demo');
    expect(info?.identity.role).toBe('reviewer');
    expect(info?.identity.pseudonym).toMatch(/^demo-[0-9a-f]{6}$/);
    expect(app).toEqual({ name: 'Earmark', version: TEST_APP_VERSION, schemaVersion: expect.any(Number) as number });
  });

  it('keeps the same pseudonym across loads on one workstation', async () => {
    await store.getState().session.load();
    const first = store.getState().session.info?.identity.pseudonym;

    await createAppStore(main.api).getState().session.load();
    await store.getState().session.load();

    expect(first).toMatch(/^demo-/);
    expect(store.getState().session.info?.identity.pseudonym).toBe(first);
  });

  it('records the error and keeps no identity when main cannot answer', async () => {
    main.services.close();

    await store.getState().session.load();

    const { info, error } = store.getState().session;
    expect(info).toBeNull();
    expect(error?.code).toBe('INTERNAL');
  });
});
