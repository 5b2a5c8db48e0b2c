/**
 * The one handler table: a service call per channel. Handlers get a payload that has already
 * passed its schema, so they do no validation and hold no logic of their own.
 */
import type { InvokeChannel, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { Services } from '../services';
import { guardWhileLocked } from './lock-guard';

export type Handler<C extends InvokeChannel> = (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
export type HandlerTable = { readonly [C in InvokeChannel]: Handler<C> };

export function createHandlerTable(services: Services): HandlerTable {
  return guardWhileLocked(
    {
      'app:getInfo': () => services.appInfo.getInfo(),
      'session:get': () => services.session.get(),
      'batches:list': () => services.batches.list(),
      'batches:get': ({ batchId }) => services.batches.get(batchId),
      'clips:list': ({ batchId }) => services.vault.listClips(batchId),
      'clips:open': ({ batchId, clipId }) => services.vault.openClip(batchId, clipId),
      'review:state': ({ batchId }) => services.annotations.state(batchId),
      'review:setPosition': ({ batchId, clipId }) => services.annotations.setPosition(batchId, clipId),
      'annotations:work': ({ batchId, clipId }) => services.annotations.work(batchId, clipId),
      'annotations:saveDraft': ({ batchId, clipId, basedOnRevision, body, disposition }) =>
        services.annotations.saveDraft(batchId, clipId, basedOnRevision, body, disposition),
      'annotations:submit': (request) => services.annotations.submit(request),
      'annotations:history': ({ batchId, clipId }) => services.annotations.history(batchId, clipId),
      'escalations:create': (request) => services.annotations.escalate(request),
      'inbox:mine': () => services.inbox.mine(),
      'inbox:markSeen': () => services.inbox.markSeen(),
      'inbox:badge': () => services.inbox.badge(),
      'inbox:list': ({ status }) => services.inbox.list(status),
      'inbox:respond': ({ opId, answer }) => services.inbox.respond(opId, answer),
      'inbox:dismiss': ({ responseId }) => services.inbox.dismiss(responseId),
      'sync:status': () => services.sync.status(),
      'sync:signIn': (request) => services.sync.signIn(request),
      'sync:signOut': () => services.sync.signOut(),
      'sync:retry': () => services.sync.syncNow(),
      'sync:importFolder': () => services.offline.importFolder(),
      'sync:importPackage': () => services.offline.importPackage(),
      'sync:exportResults': () => services.offline.exportResults(),
      'sync:resolve': (request) => services.sync.resolve(request.opId, request.action),
      'sync:handOver': (request) => services.sync.handOver(request.batchId),
      'hearing:escalation': ({ opId }) => services.hearing.hearEscalation(opId),
      'hearing:open': ({ holdId }) => services.hearing.open(holdId),
      'hearing:release': ({ holdId }) => services.hearing.release(holdId),
      'listen:ask': (request) => services.hearing.ask(request),
      'listen:queue': () => services.hearing.queue(),
      'listen:mine': () => services.hearing.mine(),
      'listen:take': ({ requestId }) => services.hearing.take(requestId),
      'listen:propose': ({ requestId, text }) => services.hearing.propose(requestId, text),
      'listen:decide': ({ requestId, decision }) => services.hearing.decide(requestId, decision),
      'device:info': () => services.device.info(),
      'device:savePublicKey': () => services.device.savePublicKey(),
      'lock:state': () => services.lock.state(),
      'lock:lock': ({ reason }) => services.lock.lock(reason),
      'lock:unlock': ({ secret }) => services.lock.unlock(secret),
      'lock:setPin': ({ pin }) => services.lock.setPin(pin),
      'settings:get': () => services.settings.get(),
      'settings:update': (patch) => services.settings.update(patch),
      'timing:record': (batch) => services.timing.record(batch),
      'shifts:current': () => services.shifts.current(),
      'shifts:end': () => services.shifts.end(),
      'breaks:start': ({ trigger }) => services.shifts.startBreak(trigger),
      'breaks:end': () => services.shifts.endBreak(),
      'breaks:skip': ({ trigger }) => services.shifts.skipBreak(trigger),
      'metrics:panel': () => services.shifts.panel(),
      'reports:shifts': () => services.reports.shifts(),
      'reports:shift': ({ shiftIds, source }) => services.reports.report(shiftIds, source),
      'reports:exportCsv': ({ shiftIds, source }) => services.reports.exportCsv(shiftIds, source),
      'reports:exportPdf': () => services.reports.exportPdf(),
      'reports:team': (query) => services.reports.teamShifts(query),
    },
    services.lock,
  );
}
