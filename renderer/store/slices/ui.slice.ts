import type { SliceCreator } from '../types';

export type UiSlice = {
  readonly ui: {
    readonly helpOpen: boolean;
    toggleHelp: () => void;
    closeHelp: () => void;
  };
};

export const createUiSlice = (): SliceCreator<UiSlice> => (set) => ({
  ui: {
    helpOpen: false,
    toggleHelp: () => set((s) => ({ ui: { ...s.ui, helpOpen: !s.ui.helpOpen } })),
    closeHelp: () => set((s) => ({ ui: { ...s.ui, helpOpen: false } })),
  },
});
