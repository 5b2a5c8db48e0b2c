/**
 * The start-up error box for a damaged database in service mode. The app opens nothing and writes
 * nothing to the file, but the reviewer's work that never reached the service must not be lost
 * with it: when the outbox can still be read, the box says so and offers to save that work as a
 * results package (main/services/unsent-rescue.ts), encrypted for the service and signed by this
 * device, to be uploaded from an offline station or by a supervisor. Sending it straight away
 * would need a sign-in, which the damaged file cannot hold.
 */
import { join } from 'node:path';
import type { Logger } from '../log/logger';
import { storageErrorCode } from '../services/storage-error';
import { rescueUnsent, unsentAuthors, type RescueDeps } from '../services/unsent-rescue';
import { storageRefusal } from './storage-refusal';

/** The parts of Electron's `dialog` the box uses (main/app/shell.ts passes the real one). */
export type RescueDialog = {
  showErrorBox(title: string, content: string): void;
  showMessageBox(options: {
    type: 'error' | 'info';
    title: string;
    message: string;
    detail: string;
    buttons: string[];
    defaultId: number;
    cancelId: number;
    noLink: boolean;
  }): Promise<{ response: number }>;
  showOpenDialog(options: {
    title: string;
    properties: ('openDirectory' | 'createDirectory')[];
  }): Promise<{ canceled: boolean; filePaths: string[] }>;
};

const OFFER =
  'Work you saved that has not reached the annotation service yet can be saved now as a results package. ' +
  'It is encrypted for the service: nobody can read it on the way. Give it to your supervisor, or upload it from ' +
  'an offline station once you are signed in.';

/**
 * Shows the refusal for a damaged database, offering to save the unsent work first when there is
 * any to read. Resolves once the reviewer has finished with the boxes; the caller then quits.
 */
export async function refuseDamagedDatabase(
  o: { readonly dialog: RescueDialog; readonly logger: Logger; readonly title: string; readonly message: string },
  rescue: RescueDeps,
): Promise<void> {
  o.logger.error('startup refused', { reason: o.title });
  if (unsentAuthors(rescue) === 0) {
    o.dialog.showErrorBox(o.title, o.message);
    return;
  }
  const { response } = await o.dialog.showMessageBox({
    type: 'error',
    title: o.title,
    message: o.title,
    detail: `${o.message}\n\n${OFFER}`,
    buttons: ['Save unsent work…', 'Quit'],
    defaultId: 0,
    cancelId: 1,
    noLink: true,
  });
  if (response !== 0) {
    return;
  }
  const chosen = await o.dialog.showOpenDialog({
    title: 'Choose a folder for the unsent work',
    properties: ['openDirectory', 'createDirectory'],
  });
  const folder = chosen.filePaths[0];
  if (chosen.canceled || folder === undefined) {
    return;
  }
  try {
    const report = rescueUnsent(rescue, folder);
    const ops = report.packages.reduce((n, p) => n + p.ops, 0);
    o.logger.info('database: unsent work saved from a damaged file', {
      packages: report.packages.length,
      ops,
      unreadable: report.unreadable,
    });
    await o.dialog.showMessageBox({
      type: 'info',
      title: 'Unsent work saved',
      message: `${ops} saved item${ops === 1 ? '' : 's'} of work written to:`,
      detail:
        report.packages.map((p) => p.file).join('\n') +
        (report.unreadable > 0 ? `\n\n${report.unreadable} could not be read from the damaged file.` : '') +
        '\n\nGive the file to your supervisor, or upload it from an offline station.',
      buttons: ['Quit'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    });
  } catch (error) {
    o.logger.error('database: unsent work could not be saved', {
      error: error instanceof Error ? error.name : 'unknown',
    });
    o.dialog.showErrorBox(
      'The unsent work could not be saved',
      `${error instanceof Error ? error.message : 'It cannot be read.'}\n\nDo not delete the data folder: tell your supervisor.`,
    );
  }
}

/**
 * Refuses a start whose review data could not be opened, with the cause by name when the disk is
 * why; a damaged database in service mode gets the box that offers its unsent work first. `quit`
 * runs once the reviewer has finished with the boxes.
 */
export function refuseUnopened(o: {
  readonly error: unknown;
  readonly dataDir: string;
  readonly serviceMode: boolean;
  readonly dialog: RescueDialog;
  readonly logger: Logger;
  readonly quit: () => void;
  readonly rescue: Pick<RescueDeps, 'deviceKey' | 'nativeBinding'>;
}): void {
  const storage = storageRefusal(o.error, o.dataDir);
  if (storage && storageErrorCode(o.error) === 'STORAGE_CORRUPT' && o.serviceMode) {
    const rescue = { ...o.rescue, dbFile: join(o.dataDir, 'earmark.db'), now: Date.now() };
    void refuseDamagedDatabase({ dialog: o.dialog, logger: o.logger, ...storage }, rescue).finally(o.quit);
    return;
  }
  const title = storage?.title ?? 'Earmark could not open its review data';
  o.logger.error('startup refused', { reason: title });
  o.dialog.showErrorBox(
    title,
    storage?.message ?? (o.error instanceof Error ? o.error.message : 'The review database could not be opened.'),
  );
  o.quit();
}
