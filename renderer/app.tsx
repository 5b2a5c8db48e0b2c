import { useEffect, useMemo } from 'react';
import type { ReviewerApi } from '../shared/ipc/contract';
import { createAppCommands } from './commands';
import { AppFrame } from './components/app-frame';
import { BatchList } from './components/batch-list';
import { HelpOverlay } from './components/help-overlay';
import { useHotkeys } from './hotkeys/use-hotkeys';
import type { AppStore } from './store';
import { StoreProvider } from './store/store-context';

type Props = { readonly api: ReviewerApi; readonly store: AppStore; readonly isMac: boolean };

export function App({ api, store, isMac }: Props) {
  const registry = useMemo(() => createAppCommands(store, isMac), [store, isMac]);
  useHotkeys(registry);

  useEffect(() => {
    const { session, batches } = store.getState();
    void session.load();
    void batches.load();
    return api.batches.onChanged((items) => store.getState().batches.received(items));
  }, [api, store]);

  return (
    <StoreProvider store={store}>
      <AppFrame>
        <BatchList />
      </AppFrame>
      <HelpOverlay commands={registry.list()} isMac={isMac} />
    </StoreProvider>
  );
}
