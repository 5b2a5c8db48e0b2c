import { EventEmitter } from 'node:events';
import type { EventContract, PushEvent } from '../../shared/ipc/contract';
import type { DomainEvent, DomainEvents } from './domain-events';

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
 * Where services announce changes: push events, which the shell forwards to its windows and
 * the browser test harness to its page (services never know which), and domain events, which
 * services raise for each other (see domain-events.ts). Both kinds wait for the commit of the
 * unit of work they were raised in.
 */
export function createEventHub(options: EventHubOptions = {}) {
  const afterCommit = options.afterCommit ?? ((deliver: () => void) => deliver());
  const listeners = new Set<EventListener>();
  const domain = new EventEmitter<DomainEvents>();
  // Every service may subscribe; the default cap of ten is a leak warning meant for other uses.
  domain.setMaxListeners(0);
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
    /** Raises a domain event; its handlers run in the order they subscribed. */
    publish<E extends DomainEvent>(event: E, ...args: DomainEvents[E]): void {
      afterCommit(() => {
        domain.emit<DomainEvent>(event, ...args);
      });
    },
    /** Handles a domain event; returns a function that removes the handler. */
    on<E extends DomainEvent>(event: E, handler: (...args: DomainEvents[E]) => void): () => void {
      domain.on<DomainEvent>(event, handler);
      return () => domain.off<DomainEvent>(event, handler);
    },
  };
}

export type EventHub = ReturnType<typeof createEventHub>;
