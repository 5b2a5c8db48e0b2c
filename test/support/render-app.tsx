/**
 * Mounts the real app (or one component) over the in-process API, with a fresh store and a
 * fresh i18n instance, the way renderer/main.tsx does.
 */
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { i18n } from 'i18next';
import { App } from '../../renderer/app';
import { createI18n, type UiLanguage } from '../../renderer/i18n';
import { createAppStore, type AppStore } from '../../renderer/store';
import { StoreProvider } from '../../renderer/store/store-context';
import { createInProcessApi, type InProcessApi, type InProcessApiOptions } from './in-process-api';
import { render, settle, type Rendered } from './render';

export type Mounted = {
  readonly main: InProcessApi;
  readonly store: AppStore;
  readonly i18n: i18n;
  readonly view: Rendered;
  /** Unmounts, then closes the services and removes their data. */
  cleanup(): void;
};

export type MountOptions = InProcessApiOptions & {
  readonly language?: UiLanguage;
  readonly isMac?: boolean;
  /** Runs against the API before anything renders (for example, to close the services). */
  readonly before?: (main: InProcessApi) => void;
};

async function mount(options: MountOptions, ui: (main: InProcessApi, store: AppStore) => ReactNode): Promise<Mounted> {
  const main = createInProcessApi(options);
  try {
    options.before?.(main);
    const store = createAppStore(main.api);
    const i18n = await createI18n(options.language ?? 'en');
    const view = await render(<I18nextProvider i18n={i18n}>{ui(main, store)}</I18nextProvider>);
    return {
      main,
      store,
      i18n,
      view,
      cleanup: () => {
        view.unmount();
        main.cleanup();
      },
    };
  } catch (error) {
    main.cleanup();
    throw error;
  }
}

/** Renders <App> and waits until it has loaded the session and the batch list. */
export async function renderApp(options: MountOptions = {}): Promise<Mounted> {
  const mounted = await mount(options, (main, store) => (
    <App api={main.api} store={store} isMac={options.isMac ?? false} />
  ));
  await settle(
    mounted.store,
    (s) => (s.session.info !== null || s.session.error !== null) && s.batches.loaded && s.settings.loaded,
  );
  return mounted;
}

/** Renders one component inside the store and i18n providers; nothing is loaded for it. */
export function renderInProviders(ui: ReactNode, options: MountOptions = {}): Promise<Mounted> {
  return mount(options, (_main, store) => <StoreProvider store={store}>{ui}</StoreProvider>);
}
