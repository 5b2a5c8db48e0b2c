/**
 * Runtime names of every channel and event, checked against the contract. Kept apart from the
 * zod schemas so the preload bundle (which runs sandboxed and can load no packages) stays small.
 */
import type { InvokeChannel, PushEvent } from './contract';

const channelTable: { readonly [C in InvokeChannel]: true } = {
  'app:getInfo': true,
  'session:get': true,
  'batches:list': true,
  'batches:get': true,
  'clips:list': true,
  'clips:open': true,
  'review:state': true,
  'review:setPosition': true,
  'annotations:work': true,
  'annotations:saveDraft': true,
  'annotations:submit': true,
  'annotations:history': true,
  'escalations:create': true,
  'inbox:mine': true,
  'inbox:markSeen': true,
  'inbox:badge': true,
  'inbox:list': true,
  'inbox:respond': true,
  'inbox:dismiss': true,
  'sync:status': true,
  'sync:signIn': true,
  'sync:signOut': true,
  'sync:retry': true,
  'sync:importFolder': true,
  'sync:importPackage': true,
  'sync:exportResults': true,
  'sync:resolve': true,
  'sync:handOver': true,
  'hearing:escalation': true,
  'hearing:open': true,
  'hearing:release': true,
  'listen:ask': true,
  'listen:queue': true,
  'listen:mine': true,
  'listen:take': true,
  'listen:propose': true,
  'listen:decide': true,
  'device:info': true,
  'device:savePublicKey': true,
  'lock:state': true,
  'lock:lock': true,
  'lock:unlock': true,
  'lock:setPin': true,
  'settings:get': true,
  'settings:update': true,
  'timing:record': true,
  'shifts:current': true,
  'shifts:end': true,
  'breaks:start': true,
  'breaks:end': true,
  'breaks:skip': true,
  'metrics:panel': true,
  'reports:shifts': true,
  'reports:shift': true,
  'reports:exportCsv': true,
  'reports:exportPdf': true,
  'reports:team': true,
};

const eventTable: { readonly [E in PushEvent]: true } = {
  'batches:changed': true,
  'sync:changed': true,
  'lock:changed': true,
  'settings:changed': true,
  'power:changed': true,
  'imports:changed': true,
  'inbox:changed': true,
  'listen:changed': true,
};

/** Every invoke channel. */
export const invokeChannels = Object.keys(channelTable) as readonly InvokeChannel[];

/** Every push event main may send. */
export const pushEvents = Object.keys(eventTable) as readonly PushEvent[];
