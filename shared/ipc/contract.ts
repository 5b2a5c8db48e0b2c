/**
 * The one IPC contract between the renderer and main. Types only: the runtime pieces (channel
 * names, payload schemas) live in schemas.ts and are checked against these types.
 *
 * Channels are named `domain:verb`; the preload API turns them into `reviewer.domain.verb()`.
 * Push events are named `domain:changed` and become `reviewer.domain.onChanged(cb)`.
 */
import type { Annotation, AnnotationBody, ClipWork, Disposition, EscalationRequest, ReviewState } from '../domain/annotation';
import type { AppInfo } from '../domain/app-info';
import type { BatchSummary } from '../domain/batch';
import type { ClipSummary, OpenedClip } from '../domain/clip';
import type { SessionInfo } from '../domain/session';
import type { Result } from '../result';

export type InvokeContract = {
  'app:getInfo': { request: undefined; response: AppInfo };
  'session:get': { request: undefined; response: SessionInfo };
  'batches:list': { request: undefined; response: readonly BatchSummary[] };
  'batches:get': { request: { readonly batchId: string }; response: BatchSummary };
  'clips:list': { request: { readonly batchId: string }; response: readonly ClipSummary[] };
  'clips:open': { request: ClipRef; response: OpenedClip };
  'review:state': { request: { readonly batchId: string }; response: ReviewState };
  'review:setPosition': { request: ClipRef; response: null };
  'annotations:work': { request: ClipRef; response: ClipWork };
  'annotations:saveDraft': {
    request: ClipRef & { readonly basedOnRevision: number; readonly body: AnnotationBody; readonly disposition: Disposition | null };
    response: { readonly savedAt: number };
  };
  'annotations:submit': {
    request: ClipRef & { readonly basedOnRevision: number; readonly disposition: Disposition; readonly body: AnnotationBody };
    response: Annotation;
  };
  'annotations:history': { request: ClipRef; response: readonly Annotation[] };
  'escalations:create': { request: EscalationRequest; response: { readonly id: string; readonly createdAt: number } };
};

/** Names one clip of one batch. */
export type ClipRef = { readonly batchId: string; readonly clipId: string };

export type EventContract = {
  'batches:changed': readonly BatchSummary[];
};

export type InvokeChannel = keyof InvokeContract;
export type PushEvent = keyof EventContract;
export type RequestOf<C extends InvokeChannel> = InvokeContract[C]['request'];
export type ResponseOf<C extends InvokeChannel> = InvokeContract[C]['response'];

type DomainOf<K extends string> = K extends `${infer D}:${string}` ? D : never;
type Method<C extends InvokeChannel> = RequestOf<C> extends undefined
  ? () => Promise<Result<ResponseOf<C>>>
  : (request: RequestOf<C>) => Promise<Result<ResponseOf<C>>>;

/** Unsubscribes the listener that `onX` registered. */
export type Unsubscribe = () => void;

type DomainMethods<D extends string> = {
  readonly [C in InvokeChannel as C extends `${D}:${infer V}` ? V : never]: Method<C>;
} & {
  readonly [E in PushEvent as E extends `${D}:${infer V}` ? `on${Capitalize<V>}` : never]: (
    listener: (payload: EventContract[E]) => void,
  ) => Unsubscribe;
};

/** What the renderer sees as `window.reviewer`: named methods grouped by domain. */
export type ReviewerApi = {
  readonly [D in DomainOf<InvokeChannel | PushEvent>]: DomainMethods<D>;
};
