/**
 * Closing the services as the app quits. Quitting waits until the threads they end have ended:
 * a worker thread still running when the process exits is stopped wherever it is, and one
 * stopped inside a call into the database addon aborts the process instead of quitting. They
 * end within milliseconds (a running import stops at its next clip and removes what it staged);
 * should one not, the app quits after {@link QUIT_WAIT_MS} all the same.
 */
import type { App } from 'electron';
import type { Services } from '../services';

export const QUIT_WAIT_MS = 5_000;

export function closeServicesOnQuit(
  app: Pick<App, 'on' | 'quit'>,
  services: () => Pick<Services, 'close' | 'whenClosed'> | undefined,
  waitMs = QUIT_WAIT_MS,
): void {
  let closing = false;
  app.on('will-quit', (event) => {
    const open = services();
    if (open === undefined || closing) {
      // Nothing to close, or closed already and quitting now.
      return;
    }
    closing = true;
    event.preventDefault();
    open.close();
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    void Promise.race([open.whenClosed(), giveUp])
      .catch(() => undefined)
      .finally(() => {
        clearTimeout(timer);
        app.quit();
      });
  });
}
