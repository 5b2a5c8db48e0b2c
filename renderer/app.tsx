import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { useStore } from 'zustand';
import type { ReviewerApi } from '../shared/ipc/contract';
import type { AudioService } from './audio/audio-port';
import { createAudioService } from './audio/audio-service';
import { createAppCommands } from './commands';
import { AppFrame } from './components/app-frame';
import { LockScreen } from './components/lock/lock-screen';
import { SignInScreen } from './components/sync/sign-in-screen';
import { DeviceKeyDialog } from './components/sync/device-key-dialog';
import { BatchList } from './components/batch-list';
import { HearClipButton } from './components/hearing/hear-clip-button';
import { HelpQueueScreen } from './components/hearing/help-queue-screen';
import { HelpOverlay } from './components/help-overlay';
import { InboxScreen } from './components/inbox/inbox-screen';
import { MyEscalationsScreen } from './components/inbox/my-escalations-screen';
import { ReportScreen } from './components/reports/report-screen';
import { ReviewScreen } from './components/review/review-screen';
import { SettingsScreen } from './components/settings/settings-screen';
import { formatBinding, useKeyboardLayout } from './hotkeys/format';
import { useHotkeys } from './hotkeys/use-hotkeys';
import { ReviewProvider } from './review/review-context';
import { createReviewFlow } from './review/review-flow';
import type { SecondListenOptions } from './review/second-listen';
import { attachSettings } from './settings/attach-settings';
import { attachLock } from './lock/attach-lock';
import { attachSync } from './sync/attach-sync';
import { useSettingsLanguage } from './settings/use-settings-language';
import type { AppStore } from './store';
import { createTiming } from './timing/timing';
import { StoreProvider } from './store/store-context';

type Props = {
  readonly api: ReviewerApi;
  readonly store: AppStore;
  readonly isMac: boolean;
  /** The audio engine; the Howler-backed one unless a test passes its own. */
  readonly audio?: AudioService;
  /** Makes the protected player for held clips; the Howler-backed one unless a test passes its own. */
  readonly createHeldPlayer?: SecondListenOptions['createPlayer'];
};

export function App({ api, store, isMac, audio, createHeldPlayer }: Props) {
  // Timing records what passes through the flow's API and audio engine (renderer/timing).
  const timing = useMemo(
    () => createTiming({ api, store, audio: audio ?? createAudioService({ openClip: (ref) => api.clips.open(ref) }) }),
    [api, store, audio],
  );
  const flow = useMemo(
    () =>
      createReviewFlow({
        api: timing.api,
        store,
        audio: timing.audio,
        breaks: timing.breaks,
        hearing: api,
        ...(createHeldPlayer ? { createHeldPlayer } : {}),
      }),
    [timing, store, api, createHeldPlayer],
  );
  const registry = useMemo(() => createAppCommands(store, isMac, flow), [store, isMac, flow]);
  // Re-renders (and re-labels every key hint) whenever a binding changes.
  const commands = useSyncExternalStore(registry.subscribe, registry.snapshot);
  const layout = useKeyboardLayout();
  const keys = useCallback(
    (id: string) => {
      const command = commands.find((c) => c.id === id);
      return command ? formatBinding(command.binding, isMac, layout) : '';
    },
    [commands, isMac, layout],
  );
  const review = useMemo(() => ({ flow, keys }), [flow, keys]);
  const reviewing = useStore(store, (s) => s.review.batchId !== null);
  const reportsOpen = useStore(store, (s) => s.reports.open);
  const inboxScreen = useStore(store, (s) => s.inbox.screen);
  const locked = useStore(store, (s) => s.lock.state?.locked === true);
  // With a service, nobody reviews until signed in; after an expired session, on request.
  const signingIn = useStore(
    store,
    (s) =>
      s.sync.status?.configured === true &&
      s.session.info !== null &&
      (s.session.info.mode !== 'service' || s.sync.signInOpen),
  );
  useHotkeys(registry);
  useSettingsLanguage(store);

  useEffect(() => flow.attach(), [flow]);
  useEffect(() => timing.attach(), [timing]);
  useEffect(() => attachSettings({ api, store, registry }), [api, store, registry]);
  useEffect(() => attachSync({ api, store, clips: flow.clips }), [api, store, flow]);
  useEffect(() => attachLock({ api, store, clips: flow.clips }), [api, store, flow]);
  useEffect(() => () => timing.audio.clear(), [timing]);

  useEffect(() => {
    const { session, batches } = store.getState();
    void session.load();
    void batches.load();
    const stopBatches = api.batches.onChanged((items) => store.getState().batches.received(items));
    const stopImports = api.imports.onChanged((progress) => store.getState().batches.importChanged(progress));
    const stopInbox = api.inbox.onChanged((badge) => store.getState().inbox.badgeReceived(badge));
    void api.inbox.badge().then((r) => r.ok && store.getState().inbox.badgeReceived(r.value));
    return () => {
      stopBatches();
      stopImports();
      stopInbox();
    };
  }, [api, store]);

  return (
    <StoreProvider store={store}>
      <ReviewProvider value={review}>
        <AppFrame lockKeys={keys('app.lock')} backKeys={keys('app.back')}>
          {locked ? (
            <LockScreen />
          ) : signingIn ? (
            <SignInScreen />
          ) : reviewing ? (
            <ReviewScreen />
          ) : reportsOpen ? (
            <ReportScreen />
          ) : inboxScreen === 'inbox' ? (
            <InboxScreen clipAction={(e) => (e.ownTeam ? <HearClipButton opId={e.opId} /> : null)} />
          ) : inboxScreen === 'mine' ? (
            <MyEscalationsScreen />
          ) : inboxScreen === 'listen' ? (
            <HelpQueueScreen />
          ) : (
            <BatchList onOpen={(id) => void flow.clips.openBatch(id)} deviceKeyKeys={keys('device.key')} />
          )}
        </AppFrame>
        <SettingsScreen registry={registry} isMac={isMac} keys={keys} />
        <DeviceKeyDialog device={api.device} />
        <HelpOverlay commands={commands} isMac={isMac} layout={layout} />
      </ReviewProvider>
    </StoreProvider>
  );
}
