import type { SliceCreator } from '../types';

/** A one-off message about the app itself (not about a clip), shown under the top bar until dismissed. */
export type AppNotice = 'backKeyMoved' | null;

export type UiSlice = {
  readonly ui: {
    readonly helpOpen: boolean;
    /** The settings screen covers whatever screen is under it; review hotkeys are off meanwhile. */
    readonly settingsOpen: boolean;
    readonly notice: AppNotice;
    toggleHelp: () => void;
    closeHelp: () => void;
    openSettings: () => void;
    closeSettings: () => void;
    showNotice: (notice: Exclude<AppNotice, null>) => void;
    dismissNotice: () => void;
  };
};

/** Only one overlay is open at a time: opening the help closes the settings, and the other way round. */
export const createUiSlice = (): SliceCreator<UiSlice> => (set) => ({
  ui: {
    helpOpen: false,
    settingsOpen: false,
    notice: null,
    toggleHelp: () => set((s) => ({ ui: { ...s.ui, helpOpen: !s.ui.helpOpen, settingsOpen: false } })),
    closeHelp: () => set((s) => ({ ui: { ...s.ui, helpOpen: false } })),
    openSettings: () => set((s) => ({ ui: { ...s.ui, settingsOpen: true, helpOpen: false } })),
    closeSettings: () => set((s) => ({ ui: { ...s.ui, settingsOpen: false } })),
    showNotice: (notice) => set((s) => ({ ui: { ...s.ui, notice } })),
    dismissNotice: () => set((s) => ({ ui: { ...s.ui, notice: null } })),
  },
});
