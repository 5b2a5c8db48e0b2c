/**
 * While the app is locked, the channels that would reveal clip content, reports or saved work,
 * or need a key (sign-in enrols the device), answer "locked" without reaching their service.
 * Draft saves still pass: the renderer flushes the reviewer's last keystrokes as it locks, and
 * that work must be kept (the lock service seals it without the annotation key). Sign-out is
 * refused too: it forgets the unlock secrets, after which the lock would ask for none.
 *
 * With an annotation service, the same channels but sign-in stay closed until this process has
 * seen a sign-in or an unlock with a secret: a restart must not reopen the work it held.
 */
import type { InvokeChannel } from '../../shared/ipc/contract';
import { lockedError } from '../services/locked-error';
import type { HandlerTable } from './handlers';

export const LOCKED_CHANNELS: ReadonlySet<InvokeChannel> = new Set<InvokeChannel>([
  'clips:list',
  'clips:open',
  'annotations:work',
  'annotations:history',
  'annotations:submit',
  'escalations:create',
  'inbox:mine',
  'inbox:markSeen',
  'inbox:list',
  'inbox:respond',
  'inbox:dismiss',
  'sync:signIn',
  'sync:signOut',
  'sync:importFolder',
  'sync:importPackage',
  'sync:exportResults',
  'sync:resolve',
  'sync:handOver',
  'hearing:escalation',
  'hearing:open',
  'hearing:release',
  'listen:ask',
  'listen:queue',
  'listen:mine',
  'listen:take',
  'listen:propose',
  'listen:decide',
  'device:info',
  'device:savePublicKey',
  'reports:shifts',
  'reports:shift',
  'reports:exportCsv',
  'reports:exportPdf',
  'reports:team',
]);

/**
 * The channels that stay open while locked, each for a reason: the frame and lock screen must
 * render (app, session, batch list, settings, lock, sync status, inbox counts), the reviewer's last work must
 * land (draft, position, timing), and the clock must keep counting breaks and shifts honestly.
 * None returns clip content. Every channel is in exactly one of the two sets (a test checks), so
 * a new channel cannot slip through the lock without a decision.
 */
export const OPEN_WHILE_LOCKED: ReadonlySet<InvokeChannel> = new Set<InvokeChannel>([
  'app:getInfo',
  'session:get',
  'batches:list',
  'batches:get',
  'review:state',
  'review:setPosition',
  'annotations:saveDraft',
  'sync:status',
  'sync:retry',
  'inbox:badge',
  'lock:state',
  'lock:lock',
  'lock:unlock',
  'lock:setPin',
  'settings:get',
  'settings:update',
  'timing:record',
  'shifts:current',
  'shifts:end',
  'breaks:start',
  'breaks:end',
  'breaks:skip',
  'metrics:panel',
]);

/** What the guard asks the lock service. */
export type LockGate = { isLocked(): boolean; awaitsProof(): boolean };

/** Closed until a sign-in or an unlock: every locked channel but the sign-in and sign-out themselves. */
export const AWAITING_PROOF: ReadonlySet<InvokeChannel> = new Set<InvokeChannel>(
  [...LOCKED_CHANNELS].filter((c) => c !== 'sync:signIn' && c !== 'sync:signOut'),
);

export function guardWhileLocked(table: HandlerTable, gate: LockGate): HandlerTable {
  // Handlers are contravariant in their request, so the table is rebuilt through `unknown`.
  const guarded: Record<string, (request: unknown) => unknown> = {
    ...(table as unknown as Record<string, (request: unknown) => unknown>),
  };
  for (const channel of LOCKED_CHANNELS) {
    const inner = guarded[channel] as (request: unknown) => unknown;
    const needsProof = AWAITING_PROOF.has(channel);
    guarded[channel] = (request) => {
      if (gate.isLocked() || (needsProof && gate.awaitsProof())) {
        throw lockedError();
      }
      return inner(request);
    };
  }
  return guarded as unknown as HandlerTable;
}
