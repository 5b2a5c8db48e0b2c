import { useCallback, useEffect, useMemo } from 'react';
import { useStore } from 'zustand';
import type { ReviewerApi } from '../shared/ipc/contract';
import type { AudioService } from './audio/audio-port';
import { createAudioService } from './audio/audio-service';
import { createAppCommands } from './commands';
import { AppFrame } from './components/app-frame';
import { BatchList } from './components/batch-list';
import { HelpOverlay } from './components/help-overlay';
import { ReviewScreen } from './components/review/review-screen';
import { formatBinding } from './hotkeys/format';
import { useHotkeys } from './hotkeys/use-hotkeys';
import { ReviewProvider } from './review/review-context';
import { createReviewFlow } from './review/review-flow';
import type { AppStore } from './store';
import { StoreProvider } from './store/store-context';

type Props = {
  readonly api: ReviewerApi;
  readonly store: AppStore;
  readonly isMac: boolean;
  /** The audio engine; the Howler-backed one unless a test passes its own. */
  readonly audio?: AudioService;
};

export function App({ api, store, isMac, audio }: Props) {
  const engine = useMemo(() => audio ?? createAudioService({ openClip: (ref) => api.clips.open(ref) }), [api, audio]);
  const flow = useMemo(() => createReviewFlow({ api, store, audio: engine }), [api, store, engine]);
  const registry = useMemo(() => createAppCommands(store, isMac, flow), [store, isMac, flow]);
  const keys = useCallback(
    (id: string) => {
      const command = registry.list().find((c) => c.id === id);
      return command ? formatBinding(command.binding, isMac) : '';
    },
    [registry, isMac],
  );
  const review = useMemo(() => ({ flow, keys }), [flow, keys]);
  const reviewing = useStore(store, (s) => s.review.batchId !== null);
  useHotkeys(registry);

  useEffect(() => flow.attach(), [flow]);
  useEffect(() => () => engine.clear(), [engine]);

  useEffect(() => {
    const { session, batches } = store.getState();
    void session.load();
    void batches.load();
    return api.batches.onChanged((items) => store.getState().batches.received(items));
  }, [api, store]);

  return (
    <StoreProvider store={store}>
      <ReviewProvider value={review}>
        <AppFrame>{reviewing ? <ReviewScreen /> : <BatchList onOpen={(id) => void flow.openBatch(id)} />}</AppFrame>
        <HelpOverlay commands={registry.list()} isMac={isMac} />
      </ReviewProvider>
    </StoreProvider>
  );
}
