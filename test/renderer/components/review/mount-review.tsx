/**
 * Mounts the real app with the real API and a fake audio engine (jsdom cannot play audio), over
 * a workstation that holds one imported batch of five short clips.
 */
import { act, Profiler, type ProfilerOnRenderCallback } from 'react';
import { I18nextProvider } from 'react-i18next';
import type { Policy } from '../../../../main/policy/policy.schema';
import { App } from '../../../../renderer/app';
import type { ReviewerApi } from '../../../../shared/ipc/contract';
import { createI18n, type UiLanguage } from '../../../../renderer/i18n';
import { createAppStore, type AppStore } from '../../../../renderer/store';
import { createInProcessApi, type InProcessApi } from '../../../support/in-process-api';
import type { TestClip } from '../../../support/packages';
import { click, render, settle, type Rendered } from '../../../support/render';
import { createFakeAudio, type FakeAudio } from '../../audio/fake-audio';
import { importReviewBatch, reviewClips } from '../../review/review-fixture';

export type MountedReview = {
  readonly main: InProcessApi;
  readonly store: AppStore;
  readonly audio: FakeAudio;
  readonly view: Rendered;
  /** Opens the batch from the list and waits for its first clip. */
  openBatch(): Promise<void>;
  cleanup(): void;
};

export async function mountReviewApp(
  o: {
    language?: UiLanguage;
    clips?: readonly TestClip[];
    policy?: Policy;
    /** Told of every React commit of the app (a render count, never a time, is asserted on). */
    onCommit?: ProfilerOnRenderCallback;
    /** Stands parts of the API in for main's (the service's hearing calls, say). */
    api?: (api: ReviewerApi) => ReviewerApi;
  } = {},
): Promise<MountedReview> {
  const main = createInProcessApi(o.policy ? { policy: o.policy } : {});
  importReviewBatch(main, o.clips ?? reviewClips);
  const api = o.api ? o.api(main.api) : main.api;
  const store = createAppStore(api);
  const audio = createFakeAudio((r) => main.api.clips.open(r));
  const i18n = await createI18n(o.language ?? 'en');
  const view = await render(
    <I18nextProvider i18n={i18n}>
      <Profiler id="app" onRender={o.onCommit ?? (() => undefined)}>
        <App
          api={api}
          store={store}
          isMac={false}
          audio={audio}
          createHeldPlayer={(openClip) => createFakeAudio(openClip)}
        />
      </Profiler>
    </I18nextProvider>,
  );
  await settle(store, (s) => s.session.info !== null && s.batches.loaded && s.settings.loaded);
  return {
    main,
    store,
    audio,
    view,
    async openBatch() {
      click(view.container.querySelector('button.batch-open'));
      await settle(store, (s) => s.review.clip !== null);
    },
    cleanup() {
      view.unmount();
      main.cleanup();
    },
  };
}

const textareaValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value');

/** Replaces the box's text the way typing does: the DOM value changes, then `input` fires. */
export function typeInto(box: HTMLTextAreaElement, text: string): void {
  act(() => {
    textareaValue?.set?.call(box, text);
    box.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
