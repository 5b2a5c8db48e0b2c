/**
 * What the start-up box says when the disk, not the app, is why the review data cannot be opened:
 * the cause by name and what to do, never a generic failure. Nothing was opened, so nothing new
 * was stored and nothing is claimed as saved.
 */
import { storageErrorCode, storageMessages, type StorageErrorCode } from '../services/storage-error';

/** What the start-up box is titled when the disk, not the app, is why the data cannot be opened. */
const TITLES: Readonly<Record<StorageErrorCode, string>> = {
  STORAGE_FULL: 'The disk is full',
  STORAGE_READONLY: 'Earmark cannot write to its data folder',
  STORAGE_IO: 'The disk failed while Earmark opened its review data',
  STORAGE_CORRUPT: 'The review database is damaged',
};

/** What to do, said at start: nothing was opened, so nothing new was stored either. */
const ADVICE: Readonly<Record<StorageErrorCode, string>> = {
  STORAGE_FULL: 'Free some space on the disk (or ask your administrator), then start Earmark again.',
  STORAGE_READONLY: 'Ask your administrator to make the data folder writable, then start Earmark again.',
  STORAGE_IO: 'Start Earmark again; if this keeps happening, the disk may be failing: tell your administrator.',
  STORAGE_CORRUPT:
    'Earmark has not opened it and will not write to it, so no new work is stored and nothing is claimed as saved. ' +
    'Do not delete the data folder: tell your supervisor or administrator, who can restore it or recover the work ' +
    'that was not yet sent to the annotation service.',
};

/** The title and text for a start refused by `error`, or undefined when the disk is not why. */
export function storageRefusal(error: unknown, dataDir: string): { title: string; message: string } | undefined {
  const code = storageErrorCode(error);
  if (!code) {
    return undefined;
  }
  return { title: TITLES[code], message: `${storageMessages[code]}\n\n${ADVICE[code]}\n\nData folder: ${dataDir}` };
}
