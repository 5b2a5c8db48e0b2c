/**
 * The native choosers an offline station needs: a folder of batch packages to import, and a
 * file to save a results package (or the device public key) to. The paths come from the operating system's own dialog,
 * never from the renderer, so the page cannot name a file to read or write.
 */
import type {
  BrowserWindow,
  OpenDialogOptions,
  OpenDialogReturnValue,
  SaveDialogOptions,
  SaveDialogReturnValue,
} from 'electron';
import type { SyncDialogs } from '../services/offline-station.service';

/** The part of Electron's `dialog` used here. */
export type DialogLike = {
  showOpenDialog(window: BrowserWindow, options: OpenDialogOptions): Promise<OpenDialogReturnValue>;
  showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<SaveDialogReturnValue>;
};

export function createSyncDialogs(dialog: DialogLike, window: () => BrowserWindow | undefined): SyncDialogs {
  return {
    async chooseFolder() {
      const win = window();
      if (!win) {
        return null;
      }
      const r = await dialog.showOpenDialog(win, { title: 'Import batch packages', properties: ['openDirectory'] });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async chooseResultsFile(defaultName) {
      const win = window();
      if (!win) {
        return null;
      }
      const r = await dialog.showSaveDialog(win, {
        title: 'Export results for the annotation service',
        defaultPath: defaultName,
        filters: [{ name: 'Earmark results', extensions: ['earmark-results'] }],
      });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async choosePublicKeyFile(defaultName) {
      const win = window();
      if (!win) {
        return null;
      }
      const r = await dialog.showSaveDialog(win, {
        title: "Save this workstation's public key",
        defaultPath: defaultName,
        filters: [{ name: 'Public key (PEM)', extensions: ['pub', 'pem'] }],
      });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}
