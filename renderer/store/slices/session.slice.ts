import type { AppInfo } from '../../../shared/domain/app-info';
import type { SessionInfo } from '../../../shared/domain/session';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import type { AppError } from '../../../shared/result';
import type { SliceCreator } from '../types';

export type SessionSlice = {
  readonly session: {
    readonly info: SessionInfo | null;
    readonly app: AppInfo | null;
    readonly error: AppError | null;
    load: () => Promise<void>;
  };
};

export const createSessionSlice =
  (api: ReviewerApi): SliceCreator<SessionSlice> =>
  (set) => ({
    session: {
      info: null,
      app: null,
      error: null,
      async load() {
        const [session, app] = await Promise.all([api.session.get(), api.app.getInfo()]);
        set((s) => ({
          session: {
            ...s.session,
            info: session.ok ? session.value : s.session.info,
            app: app.ok ? app.value : s.session.app,
            error: !session.ok ? session.error : !app.ok ? app.error : null,
          },
        }));
      },
    },
  });
