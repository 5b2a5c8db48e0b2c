/**
 * What services tell each other, as opposed to what they push to the windows (the IPC
 * contract's push events). Each event names a fact that has happened; the service that owns
 * the reaction subscribes to it, so neither side needs the other, and the composition root
 * holds no rule. Raised inside a unit of work, an event waits for the commit (see
 * event-hub.ts).
 *
 * Each entry maps an event name to the arguments its handlers receive.
 */
import type { ReviewerIdentity } from '../../shared/domain/session';

export type DomainEvents = {
  /** A reviewer the annotation service vouched for signed in (the session service raises it). */
  'session:signedIn': [identity: ReviewerIdentity];
  /** The signed-in reviewer signed out; the workstation is back in demo mode. */
  'session:signedOut': [];
  /** The app locked: every key has already left memory. */
  'lock:locked': [];
  /** The app unlocked: the device key may load again. */
  'lock:unlocked': [];
  /** A revision or an escalation was saved with its outbox row: there is work to send. */
  'work:saved': [];
};

export type DomainEvent = keyof DomainEvents;
