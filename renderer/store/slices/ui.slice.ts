import type { SliceCreator } from '../types';

/** A one-off message about the app itself (not about a clip), shown under the top bar until dismissed. */
export type AppNotice = 'backKeyMoved' | null;

export type UiSlice = {
  readonly ui: {
    readonly helpOpen: boolean;
    /** The settings screen covers whatever screen is under it; review hotkeys are off meanwhile. */
    readonly settingsOpen: boolean;
    /** The workstation's key (fingerprint, state, save the public key) over the batch list. */
    readonly deviceKeyOpen: boolean;
    readonly notice: AppNotice;
    toggleHelp: () => void;
    closeHelp: () => void;
    openSettings: () => void;
    closeSettings: () => void;
    openDeviceKey: () => void;
    closeDeviceKey: () => void;
    showNotice: (notice: Exclude<AppNotice, null>) => void;
    dismissNotice: () => void;
  };
};

/** Only one overlay is open at a time: opening one (help, settings, device key) closes the others. */
export const createUiSlice = (): SliceCreator<UiSlice> => (set) => ({
  ui: {
    helpOpen: false,
    settingsOpen: false,
    deviceKeyOpen: false,
    notice: null,
    toggleHelp: () =>
      set((s) => ({ ui: { ...s.ui, helpOpen: !s.ui.helpOpen, settingsOpen: false, deviceKeyOpen: false } })),
    closeHelp: () => set((s) => ({ ui: { ...s.ui, helpOpen: false } })),
    openSettings: () => set((s) => ({ ui: { ...s.ui, settingsOpen: true, helpOpen: false, deviceKeyOpen: false } })),
    closeSettings: () => set((s) => ({ ui: { ...s.ui, settingsOpen: false } })),
    openDeviceKey: () => set((s) => ({ ui: { ...s.ui, deviceKeyOpen: true, helpOpen: false, settingsOpen: false } })),
    closeDeviceKey: () => set((s) => ({ ui: { ...s.ui, deviceKeyOpen: false } })),
    showNotice: (notice) => set((s) => ({ ui: { ...s.ui, notice } })),
    dismissNotice: () => set((s) => ({ ui: { ...s.ui, notice: null } })),
  },
});
