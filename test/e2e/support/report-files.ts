/**
 * Report exports saved where a spec can read them: the folder and file "chosen" are in a fresh
 * temporary folder, and the PDF is the page printed by Chromium with the shell's own options
 * (main/app/report-export.ts), so print styles apply as they do in the app.
 */
import type { Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportExporter } from '../../../main/services/report.service';

export type ReportFiles = {
  readonly exporter: ReportExporter;
  readonly dir: string;
  remove(): void;
};

export function reportFiles(page: Page): ReportFiles {
  const dir = mkdtempSync(join(tmpdir(), 'earmark-e2e-reports-'));
  return {
    dir,
    exporter: {
      chooseFolder: () => Promise.resolve(dir),
      chooseFile: (suggestedName) => Promise.resolve(join(dir, suggestedName)),
      // A4 portrait with backgrounds, as PDF_OPTIONS asks of webContents.printToPDF.
      printPage: async () => new Uint8Array(await page.pdf({ format: 'A4', printBackground: true })),
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
