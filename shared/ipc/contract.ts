/**
 * The one IPC contract between the renderer and main. Types only: the runtime pieces (channel
 * names, payload schemas) live in schemas.ts and are checked against these types.
 *
 * Channels are named `domain:verb`; the preload API turns them into `reviewer.domain.verb()`.
 * Push events are named `domain:changed` and become `reviewer.domain.onChanged(cb)`.
 */
import type {
  Annotation,
  AnnotationBody,
  ClipWork,
  Disposition,
  EscalationRequest,
  ReviewState,
} from '../domain/annotation';
import type { AppInfo } from '../domain/app-info';
import type { BatchSummary } from '../domain/batch';
import type { DeviceInfo, SavedPublicKey } from '../domain/device';
import type { ClipSummary, OpenedClip } from '../domain/clip';
import type { SessionInfo } from '../domain/session';
import type { LockState } from '../domain/lock';
import type { HeardClip, HeldClip, ListenQueueItem, OwnListenRequest, TextSpan, AudioWindow } from '../domain/hearing';
import type { ImportProgress } from '../domain/import';
import type { EscalationStatus, InboxAnswer, InboxBadge, InboxView, MyEscalationsView } from '../domain/inbox';
import type {
  AttentionAction,
  FolderImportReport,
  ResultsExportReport,
  SignInRequest,
  SyncStatus,
} from '../domain/sync';
import type { SettingsSnapshot, UserSettings } from '../settings/settings';
import type {
  BreakInfo,
  BreakTrigger,
  PacePanel,
  PowerState,
  ShiftInfo,
  ReportSource,
  ShiftReport,
  ShiftSummary,
  SuggestedBreak,
  TeamShiftList,
  TeamShiftQuery,
  TimingBatch,
} from '../domain/timing';
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
    request: ClipRef & {
      readonly basedOnRevision: number;
      readonly body: AnnotationBody;
      readonly disposition: Disposition | null;
    };
    response: { readonly savedAt: number };
  };
  'annotations:submit': {
    request: ClipRef & {
      readonly basedOnRevision: number;
      readonly disposition: Disposition;
      readonly body: AnnotationBody;
    };
    response: Annotation;
  };
  'annotations:history': { request: ClipRef; response: readonly Annotation[] };
  'escalations:create': { request: EscalationRequest; response: { readonly id: string; readonly createdAt: number } };
  /** The reviewer's own escalations, their state and guidance. */
  'inbox:mine': { request: undefined; response: MyEscalationsView };
  /** The reviewer has seen the answers so far: the sign-in notice stops counting them. */
  'inbox:markSeen': { request: undefined; response: null };
  /** What the top bar counts now (zeros when signed out); `inbox:changed` brings each change. */
  'inbox:badge': { request: undefined; response: InboxBadge };
  /** Supervisors only, as are the other inbox channels but `inbox:badge`, `inbox:mine` and `inbox:markSeen`. */
  'inbox:list': { request: { readonly status: EscalationStatus }; response: InboxView };
  /** Queues an answer and sends it at once when online; `sent` when the service holds it. */
  'inbox:respond': {
    request: { readonly opId: string; readonly answer: InboxAnswer };
    response: { readonly responseId: string; readonly sent: boolean };
  };
  /** Forgets a refused answer once its refusal was read. */
  'inbox:dismiss': { request: { readonly responseId: string }; response: null };
  'sync:status': { request: undefined; response: SyncStatus };
  'sync:signIn': { request: SignInRequest; response: SessionInfo };
  'sync:signOut': { request: undefined; response: null };
  'sync:retry': { request: undefined; response: SyncStatus };
  /** Asks main for a folder and imports its batch packages; null when cancelled. */
  'sync:importFolder': { request: undefined; response: FolderImportReport | null };
  /** Asks main for a package file (on macOS, or a folder) and imports it; null when cancelled. */
  'sync:importPackage': { request: undefined; response: FolderImportReport | null };
  /** Asks main where to save, and exports the results package there; null when cancelled. */
  'sync:exportResults': { request: undefined; response: ResultsExportReport | null };
  /** Settles an op that needs attention: resend it on the service's current revision, or discard it. */
  'sync:resolve': {
    request: { readonly opId: string; readonly action: AttentionAction };
    response: SyncStatus;
  };
  /** Drains this workstation's work on a batch, then hands the batch over for another workstation. */
  'sync:handOver': { request: { readonly batchId: string }; response: SyncStatus };
  /** The workstation's key id, fingerprint and public key (no secret). */
  /** Fetches an escalated clip packed for this device and holds it apart (supervisors of the team). */
  'hearing:escalation': { request: { readonly opId: string }; response: HeldClip };
  /** Decrypts a held clip for the protected player; the playback is reported to the service. */
  'hearing:open': { request: { readonly holdId: string }; response: HeardClip };
  /** Erases a held clip. */
  'hearing:release': { request: { readonly holdId: string }; response: null };
  /** Asks the team for a second listen on a span of the transcript. */
  'listen:ask': {
    request: ClipRef & { readonly span: TextSpan; readonly window: AudioWindow };
    response: { readonly requestId: string };
  };
  'listen:queue': { request: undefined; response: readonly ListenQueueItem[] };
  /** The account's own requests as the last sync cycle fetched them: read from main's memory, no request leaves. */
  'listen:mine': { request: undefined; response: readonly OwnListenRequest[] };
  /** Takes a teammate's request and holds its clip for this device. */
  'listen:take': { request: { readonly requestId: string }; response: HeldClip };
  'listen:propose': { request: { readonly requestId: string; readonly text: string }; response: null };
  'listen:decide': {
    request: { readonly requestId: string; readonly decision: 'accepted' | 'ignored' };
    response: null;
  };
  'device:info': { request: undefined; response: DeviceInfo };
  /** Asks main where to save, and writes the public key there as PEM. */
  'device:savePublicKey': { request: undefined; response: SavedPublicKey };
  'lock:state': { request: undefined; response: LockState };
  /** The renderer locks on idle time or on request; OS lock and suspend come from the shell. */
  'lock:lock': { request: { readonly reason: 'idle' | 'manual' }; response: LockState };
  /** `secret` is the password or PIN; absent only to confirm when there is none to ask for (`methods: ['none']`). */
  'lock:unlock': { request: { readonly secret?: string | undefined }; response: LockState };
  'lock:setPin': { request: { readonly pin: string }; response: LockState };
  'settings:get': { request: undefined; response: SettingsSnapshot };
  'settings:update': { request: UserSettings; response: SettingsSnapshot };
  /** Timing events, sent at least once a second and at once on submit, escalation and blur. */
  'timing:record': { request: TimingBatch; response: { readonly accepted: number } };
  'shifts:current': { request: undefined; response: ShiftInfo | null };
  'shifts:end': { request: undefined; response: ShiftInfo | null };
  'breaks:start': { request: { readonly trigger: BreakTrigger }; response: BreakInfo };
  'breaks:end': { request: undefined; response: BreakInfo | null };
  /** A suggested break declined. */
  'breaks:skip': { request: { readonly trigger: SuggestedBreak }; response: null };
  'metrics:panel': { request: undefined; response: PacePanel };
  /** Supervisors only, as are the other report channels. */
  'reports:shifts': { request: undefined; response: readonly ShiftSummary[] };
  /** The team's shifts from the service, or this workstation's when it cannot be reached. */
  'reports:team': { request: TeamShiftQuery; response: TeamShiftList };
  /** `source` says which list the ids were chosen from (this workstation's when absent). */
  'reports:shift': { request: ReportSelection; response: ShiftReport };
  /** Asks for a folder and writes the per-clip, per-shift and per-reviewer CSV files; none when cancelled. */
  'reports:exportCsv': {
    request: ReportSelection;
    response: { readonly files: readonly string[] };
  };
  /** Asks where to save and prints the report page on screen to PDF; null when cancelled. */
  'reports:exportPdf': { request: undefined; response: { readonly file: string | null } };
};

/** The shifts a report covers, and the list they were chosen from. */
export type ReportSelection = { readonly shiftIds: readonly string[]; readonly source?: ReportSource | undefined };

/** Names one clip of one batch. */
export type ClipRef = { readonly batchId: string; readonly clipId: string };

export type EventContract = {
  'batches:changed': readonly BatchSummary[];
  'sync:changed': SyncStatus;
  'lock:changed': LockState;
  'settings:changed': SettingsSnapshot;
  'power:changed': { readonly state: PowerState };
  /** Progress of a batch import (a checkout landing, a package or folder imported). */
  'imports:changed': ImportProgress;
  /** The inbox's counts changed (a sync cycle fetched them). */
  'inbox:changed': InboxBadge;
  /** The account's own second-listen requests changed (a sync cycle fetched them); read them with `listen:mine`. */
  'listen:changed': { readonly waiting: number };
};

export type InvokeChannel = keyof InvokeContract;
export type PushEvent = keyof EventContract;
export type RequestOf<C extends InvokeChannel> = InvokeContract[C]['request'];
export type ResponseOf<C extends InvokeChannel> = InvokeContract[C]['response'];

type DomainOf<K extends string> = K extends `${infer D}:${string}` ? D : never;
type Method<C extends InvokeChannel> =
  RequestOf<C> extends undefined
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
