/**
 * Saving shift reports from the desktop: the supervisor picks the folder or file in the
 * operating system's own dialog (the renderer never names a path), and the PDF is the report
 * page itself, printed by Chromium with webContents.printToPDF (print styles hide the controls).
 */
import type { BrowserWindow } from 'electron';
import type { ReportExporter } from '../services/report.service';
import type { DialogLike } from './sync-dialogs';

/** A4 portrait with the background colours of the charts kept. */
export const PDF_OPTIONS = { pageSize: 'A4', printBackground: true, landscape: false } as const;

export function createReportExporter(dialog: DialogLike, window: () => BrowserWindow | undefined): ReportExporter {
  const requireWindow = (): BrowserWindow => {
    const win = window();
    if (!win) {
      throw new Error('No window to print the report from.');
    }
    return win;
  };
  return {
    async chooseFolder() {
      const win = window();
      if (!win) {
        return null;
      }
      const r = await dialog.showOpenDialog(win, {
        title: 'Save the shift report (CSV) in',
        properties: ['openDirectory', 'createDirectory'],
      });
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async chooseFile(suggestedName) {
      const win = window();
      if (!win) {
        return null;
      }
      const r = await dialog.showSaveDialog(win, {
        title: 'Save the shift report (PDF)',
        defaultPath: suggestedName,
        filters: [{ name: 'PDF', extensions: ['pdf'] }],
      });
      return r.canceled || !r.filePath ? null : r.filePath;
    },
    async printPage() {
      const pdf = await requireWindow().webContents.printToPDF(PDF_OPTIONS);
      return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    },
  };
}
