import type { EventContract, PushEvent } from '../../shared/ipc/contract';

export type EventListener = <E extends PushEvent>(event: E, payload: EventContract[E]) => void;

/**
 * Where services announce changes. The shell forwards them to its windows, the browser test
 * harness to its page; services never know which.
 */
export function createEventHub() {
  const listeners = new Set<EventListener>();
  return {
    emit<E extends PushEvent>(event: E, payload: EventContract[E]): void {
      for (const listener of listeners) {
        listener(event, payload);
      }
    },
    /** Returns a function that removes the listener. */
    subscribe(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type EventHub = ReturnType<typeof createEventHub>;
