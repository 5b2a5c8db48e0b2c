import type { EventContract, PushEvent } from '../../shared/ipc/contract';

export type EventListener = <E extends PushEvent>(event: E, payload: EventContract[E]) => void;

export type EventHubOptions = {
  /**
   * Decides when an event leaves: the unit of work's `afterCommit`, so an event raised inside
   * a transaction is delivered once it commits and never if it rolls back. Without it every
   * event leaves at once.
   */
  readonly afterCommit?: (deliver: () => void) => void;
};

/**
 * Where services announce changes. The shell forwards them to its windows, the browser test
 * harness to its page; services never know which. An event waits for the commit of the unit of
 * work it was raised in.
 */
export function createEventHub(options: EventHubOptions = {}) {
  const afterCommit = options.afterCommit ?? ((deliver: () => void) => deliver());
  const listeners = new Set<EventListener>();
  return {
    emit<E extends PushEvent>(event: E, payload: EventContract[E]): void {
      afterCommit(() => {
        for (const listener of listeners) {
          listener(event, payload);
        }
      });
    },
    /** Returns a function that removes the listener. */
    subscribe(listener: EventListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export type EventHub = ReturnType<typeof createEventHub>;
