/**
 * The one handler table: a service call per channel. Handlers get a payload that has already
 * passed its schema, so they do no validation and hold no logic of their own.
 */
import type { InvokeChannel, RequestOf, ResponseOf } from '../../shared/ipc/contract';
import type { Services } from '../services';

export type Handler<C extends InvokeChannel> = (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
export type HandlerTable = { readonly [C in InvokeChannel]: Handler<C> };

export function createHandlerTable(services: Services): HandlerTable {
  return {
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
  };
}
