/**
 * Renders React trees into jsdom with React 19's act(), and waits for store state without
 * sleeping: a test awaits the store change it expects.
 */
import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { AppState, AppStore } from '../../renderer/store';

declare global {
  // Tells React this environment wraps updates in act(); read by React as a global.
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}

globalThis.IS_REACT_ACT_ENVIRONMENT = true;

export type Rendered = {
  readonly container: HTMLElement;
  /** Unmounts and detaches the container; safe to call more than once. */
  unmount(): void;
};

/** Mounts `ui` in a fresh container attached to the document. */
export async function render(ui: ReactNode): Promise<Rendered> {
  const container = document.createElement('div');
  document.body.append(container);
  const root: Root = createRoot(container);
  await act(async () => {
    root.render(ui);
    await Promise.resolve();
  });
  let mounted = true;
  return {
    container,
    unmount: () => {
      if (mounted) {
        mounted = false;
        act(() => root.unmount());
        container.remove();
      }
    },
  };
}

/** Resolves once the store satisfies `predicate` (at once if it already does). */
export function untilState(store: AppStore, predicate: (state: AppState) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate(store.getState())) {
      resolve();
      return;
    }
    const unsubscribe = store.subscribe((state) => {
      if (predicate(state)) {
        unsubscribe();
        resolve();
      }
    });
  });
}

/** Waits, inside act(), until the store satisfies `predicate` and React has rendered it. */
export async function settle(store: AppStore, predicate: (state: AppState) => boolean): Promise<void> {
  await act(() => untilState(store, predicate));
}

/** Dispatches a keydown the way a keyboard would: bubbling and cancelable. Returns the event. */
export function pressKey(target: EventTarget, init: KeyboardEventInit): KeyboardEvent {
  const event = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
  act(() => {
    target.dispatchEvent(event);
  });
  return event;
}

/** Clicks an element inside act(), so React has rendered the result when this returns. */
export function click(element: Element | null | undefined): void {
  if (!(element instanceof HTMLElement)) {
    throw new Error('nothing to click');
  }
  act(() => {
    element.click();
  });
}
