import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../../../../renderer/store';
import { batchSummary, newBatch } from '../../../support/batches';
import { createInProcessApi, type InProcessApi, type InProcessApiOptions } from '../../../support/in-process-api';

describe('batches slice', () => {
  let main: InProcessApi | undefined;

  const start = (options?: InProcessApiOptions) => {
    main = createInProcessApi(options);
    return { main, store: createAppStore(main.api) };
  };

  afterEach(() => {
    main?.cleanup();
    main = undefined;
  });

  it('is not loaded before the first load', () => {
    const { store } = start();

    expect(store.getState().batches).toMatchObject({ items: [], loaded: false, error: null });
  });

  it('loads an empty list from an empty workstation', async () => {
    const { store } = start();

    await store.getState().batches.load();

    expect(store.getState().batches).toMatchObject({ items: [], loaded: true, error: null });
  });

  it('loads the batches stored on the workstation', async () => {
    const { store } = start({
      seed: (db) => {
        db.batches.insert(newBatch({ id: 'b-AAAAAAAAAAAAAAA1', clipCount: 12, importedAt: 1 }));
        db.batches.insert(newBatch({ id: 'b-AAAAAAAAAAAAAAA2', locale: 'ro-RO', importedAt: 2 }));
      },
    });

    await store.getState().batches.load();

    const { items, loaded } = store.getState().batches;
    expect(loaded).toBe(true);
    expect(items.map((b) => [b.id, b.locale, b.clipCount, b.doneCount, b.status])).toEqual([
      ['b-AAAAAAAAAAAAAAA1', 'en-US', 12, 0, 'active'],
      ['b-AAAAAAAAAAAAAAA2', 'ro-RO', 40, 0, 'active'],
    ]);
  });

  it('replaces the list with what main pushes', async () => {
    const { store } = start({ seed: (db) => db.batches.insert(newBatch({ id: 'old' })) });
    await store.getState().batches.load();

    store.getState().batches.received([batchSummary({ id: 'new-1' }), batchSummary({ id: 'new-2' })]);

    expect(store.getState().batches.items.map((b) => b.id)).toEqual(['new-1', 'new-2']);
    expect(store.getState().batches.loaded).toBe(true);
  });

  it('receives a batches:changed event through the API subscription', () => {
    const { main, store } = start();
    const unsubscribe = main.api.batches.onChanged((items) => store.getState().batches.received(items));

    main.services.events.emit('batches:changed', [batchSummary({ id: 'pushed' })]);
    unsubscribe();
    main.services.events.emit('batches:changed', []);

    expect(store.getState().batches.items.map((b) => b.id)).toEqual(['pushed']);
  });

  it('clears an earlier error when a push arrives', async () => {
    const { main, store } = start();
    main.services.close();
    await store.getState().batches.load();
    expect(store.getState().batches.error?.code).toBe('INTERNAL');

    store.getState().batches.received([]);

    expect(store.getState().batches).toMatchObject({ items: [], loaded: true, error: null });
  });

  it('marks the list loaded with the error when main cannot answer', async () => {
    const { main, store } = start();
    main.services.close();

    await store.getState().batches.load();

    expect(store.getState().batches).toMatchObject({ items: [], loaded: true, error: { code: 'INTERNAL' } });
  });
});
