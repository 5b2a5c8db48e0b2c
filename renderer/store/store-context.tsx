import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { AppState, AppStore } from './index';

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** The window's store itself, for reading once without subscribing (an editor's starting text). */
export function useAppStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) {
    throw new Error('useAppStore must be used inside <StoreProvider>.');
  }
  return store;
}

/** Selects from the window's store; select narrowly, use useShallow for objects. */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStoreApi(), selector);
}
