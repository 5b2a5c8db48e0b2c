import type {
  EscalationStatus,
  InboxAnswer,
  InboxBadge,
  InboxView,
  MyEscalationsView,
} from '../../../shared/domain/inbox';
import type { ReviewerApi } from '../../../shared/ipc/contract';
import type { AppError } from '../../../shared/result';
import type { SliceCreator } from '../types';

/**
 * Which inbox screen is open: the supervisor's inbox, a reviewer's own escalations, or the team
 * help queue of second-listen requests (which loads its own list).
 */
export type InboxScreenName = 'inbox' | 'mine' | 'listen';

/**
 * The escalation inbox: the supervisor's list and answers, the reviewer's own escalations, and
 * the counts the top bar shows. Main refuses the inbox to anyone but a supervisor.
 */
export type InboxSlice = {
  readonly inbox: {
    readonly screen: InboxScreenName | null;
    readonly status: EscalationStatus;
    readonly view: InboxView | null;
    readonly mine: MyEscalationsView | null;
    readonly badge: InboxBadge;
    /** The sign-in notice about new answers was dismissed. */
    readonly noticeDismissed: boolean;
    readonly loading: boolean;
    /** The escalation an answer is being sent for. */
    readonly answering: string | null;
    readonly error: AppError | null;
    show: (screen: InboxScreenName) => Promise<void>;
    hide: () => void;
    setStatus: (status: EscalationStatus) => Promise<void>;
    refresh: () => Promise<void>;
    respond: (opId: string, answer: InboxAnswer) => Promise<boolean>;
    dismiss: (responseId: string) => Promise<void>;
    badgeReceived: (badge: InboxBadge) => void;
    dismissNotice: () => void;
  };
};

export const createInboxSlice =
  (api: ReviewerApi): SliceCreator<InboxSlice> =>
  (set, get) => {
    type State = InboxSlice['inbox'];
    const patch = (p: Partial<State>): void => set((s) => ({ inbox: { ...s.inbox, ...p } }));
    const loadInbox = async (status: EscalationStatus): Promise<void> => {
      patch({ status, loading: true });
      const result = await api.inbox.list({ status });
      if (get().inbox.status !== status) {
        return;
      }
      patch(result.ok ? { view: result.value, loading: false, error: null } : { loading: false, error: result.error });
    };
    const loadMine = async (): Promise<void> => {
      patch({ loading: true });
      const result = await api.inbox.mine();
      patch(result.ok ? { mine: result.value, loading: false, error: null } : { loading: false, error: result.error });
      if (result.ok) {
        // Opening the screen is reading the answers: the sign-in notice stops counting them.
        await api.inbox.markSeen();
      }
    };
    return {
      inbox: {
        screen: null,
        status: 'open',
        view: null,
        mine: null,
        badge: { open: 0, urgent: 0, unseen: 0 },
        noticeDismissed: false,
        loading: false,
        answering: null,
        error: null,
        async show(screen) {
          patch({ screen, error: null, view: null, mine: null });
          if (screen === 'inbox') {
            await loadInbox('open');
          } else if (screen === 'mine') {
            await loadMine();
          }
        },
        hide: () => patch({ screen: null, view: null, mine: null, error: null, answering: null }),
        setStatus: (status) => loadInbox(status),
        refresh: async () => {
          const { screen, status } = get().inbox;
          if (screen === 'mine') {
            await loadMine();
          } else if (screen === 'inbox') {
            await loadInbox(status);
          }
        },
        async respond(opId, answer) {
          patch({ answering: opId, error: null });
          const result = await api.inbox.respond({ opId, answer });
          patch(result.ok ? { answering: null } : { answering: null, error: result.error });
          await loadInbox(get().inbox.status);
          return result.ok;
        },
        async dismiss(responseId) {
          await api.inbox.dismiss({ responseId });
          await loadInbox(get().inbox.status);
        },
        badgeReceived: (badge) =>
          patch({ badge, ...(badge.unseen > get().inbox.badge.unseen ? { noticeDismissed: false } : {}) }),
        dismissNotice: () => patch({ noticeDismissed: true }),
      },
    };
  };
