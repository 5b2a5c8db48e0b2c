/**
 * The native choosers an offline station needs: a batch package or a folder of them to import, and a
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

/**
 * What the package chooser may pick. Only macOS offers one dialog that picks a file or a folder;
 * elsewhere a dialog asked for both shows a folder chooser alone, so there it picks a file (the
 * folder has its own chooser).
 */
export function packageChooserProperties(platform: NodeJS.Platform): NonNullable<OpenDialogOptions['properties']> {
  return platform === 'darwin' ? ['openFile', 'openDirectory'] : ['openFile'];
}

export function createSyncDialogs(
  dialog: DialogLike,
  window: () => BrowserWindow | undefined,
  platform: NodeJS.Platform = process.platform,
): SyncDialogs {
  return {
    async choosePackage() {
      const win = window();
      if (!win) {
        return null;
      }
      const r = await dialog.showOpenDialog(win, {
        title: 'Import a batch package',
        properties: packageChooserProperties(platform),
        filters: [{ name: 'Earmark batch package', extensions: ['earmark'] }],
      });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
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
