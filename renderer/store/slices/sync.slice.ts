import type {
  AttentionAction,
  FolderImportReport,
  ResultsExportReport,
  SignInRequest,
  SyncStatus,
} from '../../../shared/domain/sync';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import type { AppError } from '../../../shared/result';
import type { SliceCreator } from '../types';

/**
 * What the last package import or results export did: the batch list says how an import ended
 * (in every mode), the sync indicator how an export did.
 */
export type OfflineOutcome =
  | { readonly kind: 'imported'; readonly report: FolderImportReport }
  | { readonly kind: 'importFailed'; readonly error: AppError }
  | { readonly kind: 'exported'; readonly report: ResultsExportReport }
  | { readonly kind: 'failed'; readonly error: AppError };

/** Something the reviewer should know that is not a status: the open batch was taken back or closed. */
export type SyncNotice = 'batchRevoked' | 'batchClosed' | null;

export type SyncSlice = {
  readonly sync: {
    readonly status: SyncStatus | null;
    /** The reviewer chose to sign in again (their session expired); the sign-in screen shows. */
    readonly signInOpen: boolean;
    readonly signingIn: boolean;
    readonly signInError: AppError | null;
    readonly notice: SyncNotice;
    readonly offline: OfflineOutcome | null;
    /** Why the last resend or discard of an op that needs attention failed; null when it did not. */
    readonly attentionError: AppError | null;
    load: () => Promise<void>;
    /** Takes a status main pushed. */
    received: (status: SyncStatus) => void;
    /** Signs in; true when it worked (the caller reloads the session and batches). */
    signIn: (request: SignInRequest) => Promise<boolean>;
    signOut: () => Promise<void>;
    retry: () => Promise<void>;
    openSignIn: () => void;
    closeSignIn: () => void;
    setNotice: (notice: SyncNotice) => void;
    /** Offline station: import the batch packages of a folder main asks for. */
    importFolder: () => Promise<void>;
    /** Asks main for a package file (on macOS, or a folder) and imports it. */
    importPackage: () => Promise<void>;
    /** Offline station: export a results package where main asks. */
    exportResults: () => Promise<void>;
    clearOffline: () => void;
    /** Settles an op that needs attention: resend it on the service's current revision, or discard it. */
    resolve: (opId: string, action: AttentionAction) => Promise<void>;
    /**
     * Hands a batch over to another workstation (main sends the work on it first, then releases
     * and erases it); the error when it was not handed over, null when it was.
     */
    handOver: (batchId: string) => Promise<AppError | null>;
  };
};

export const createSyncSlice =
  (api: ReviewerApi): SliceCreator<SyncSlice> =>
  (set, get) => {
    const patch = (p: Partial<SyncSlice['sync']>): void => set((s) => ({ sync: { ...s.sync, ...p } }));
    /** Says how an import ended (null: the reviewer cancelled the dialog) and reloads the list. */
    const imported = async (call: ReturnType<ReviewerApi['sync']['importPackage']>): Promise<void> => {
      const result = await call;
      if (!result.ok) {
        patch({ offline: { kind: 'importFailed', error: result.error } });
      } else if (result.value) {
        patch({ offline: { kind: 'imported', report: result.value } });
        await get().batches.load();
      }
    };
    return {
      sync: {
        status: null,
        signInOpen: false,
        signingIn: false,
        signInError: null,
        notice: null,
        offline: null,
        attentionError: null,
        async load() {
          const result = await api.sync.status();
          if (result.ok) {
            patch({ status: result.value });
          }
        },
        received: (status) => patch({ status }),
        async signIn(request) {
          patch({ signingIn: true, signInError: null });
          const result = await api.sync.signIn(request);
          patch(result.ok ? { signingIn: false, signInOpen: false } : { signingIn: false, signInError: result.error });
          if (result.ok) {
            await Promise.all([get().session.load(), get().batches.load(), get().sync.load()]);
          }
          return result.ok;
        },
        async signOut() {
          await api.sync.signOut();
          await Promise.all([get().session.load(), get().sync.load()]);
        },
        async retry() {
          const result = await api.sync.retry();
          if (result.ok) {
            patch({ status: result.value });
          }
        },
        openSignIn: () => patch({ signInOpen: true, signInError: null }),
        closeSignIn: () => patch({ signInOpen: false, signInError: null }),
        setNotice: (notice) => patch({ notice }),
        importFolder: () => imported(api.sync.importFolder()),
        importPackage: () => imported(api.sync.importPackage()),
        async exportResults() {
          const result = await api.sync.exportResults();
          if (!result.ok) {
            patch({ offline: { kind: 'failed', error: result.error } });
          } else if (result.value) {
            patch({ offline: { kind: 'exported', report: result.value } });
          }
        },
        clearOffline: () => patch({ offline: null }),
        async resolve(opId, action) {
          const result = await api.sync.resolve({ opId, action });
          patch(result.ok ? { status: result.value, attentionError: null } : { attentionError: result.error });
        },
        async handOver(batchId) {
          const result = await api.sync.handOver({ batchId });
          // Reloaded either way: a drain that ran before a refusal may still have moved things.
          await Promise.all([get().batches.load(), get().sync.load()]);
          return result.ok ? null : result.error;
        },
      },
    };
  };
