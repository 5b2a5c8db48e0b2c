/**
 * The renderer's one store, combined from slices. Each slice owns a namespace
 * (`s.session`, `s.batches`, …) so components can select narrowly.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ReviewerApi } from '../../shared/ipc/contract';
import { createBatchesSlice, type BatchesSlice } from './slices/batches.slice';
import { createInboxSlice, type InboxSlice } from './slices/inbox.slice';
import { createPlayerSlice, type PlayerSlice } from './slices/player.slice';
import { createReportsSlice, type ReportsSlice } from './slices/reports.slice';
import { createReviewSlice, type ReviewSlice } from './slices/review.slice';
import { createSessionSlice, type SessionSlice } from './slices/session.slice';
import { createSettingsSlice, type SettingsSlice } from './slices/settings.slice';
import { createSyncSlice, type SyncSlice } from './slices/sync.slice';
import { createLockSlice, type LockSlice } from './slices/lock.slice';
import { createTimingSlice, type TimingSlice } from './slices/timing.slice';
import { createUiSlice, type UiSlice } from './slices/ui.slice';

export type AppState = SessionSlice &
  BatchesSlice &
  UiSlice &
  ReviewSlice &
  PlayerSlice &
  SettingsSlice &
  SyncSlice &
  LockSlice &
  TimingSlice &
  ReportsSlice &
  InboxSlice;
export type AppStore = StoreApi<AppState>;

/** A fresh store over an API; tests make one per test, the app one per window. */
export function createAppStore(api: ReviewerApi): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createSessionSlice(api)(...a),
    ...createBatchesSlice(api)(...a),
    ...createUiSlice()(...a),
    ...createReviewSlice()(...a),
    ...createPlayerSlice()(...a),
    ...createSettingsSlice(api)(...a),
    ...createSyncSlice(api)(...a),
    ...createLockSlice(api)(...a),
    ...createTimingSlice(api)(...a),
    ...createReportsSlice(api)(...a),
    ...createInboxSlice(api)(...a),
  }));
}
