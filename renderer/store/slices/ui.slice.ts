import type { SliceCreator } from '../types';

export type UiSlice = {
  readonly ui: {
    readonly helpOpen: boolean;
    /** The settings screen covers whatever screen is under it; review hotkeys are off meanwhile. */
    readonly settingsOpen: boolean;
    toggleHelp: () => void;
    closeHelp: () => void;
    openSettings: () => void;
    closeSettings: () => void;
  };
};

export const createUiSlice = (): SliceCreator<UiSlice> => (set) => ({
  ui: {
    helpOpen: false,
    settingsOpen: false,
    toggleHelp: () => set((s) => ({ ui: { ...s.ui, helpOpen: !s.ui.helpOpen } })),
    closeHelp: () => set((s) => ({ ui: { ...s.ui, helpOpen: false } })),
    openSettings: () => set((s) => ({ ui: { ...s.ui, settingsOpen: true } })),
    closeSettings: () => set((s) => ({ ui: { ...s.ui, settingsOpen: false } })),
  },
});
