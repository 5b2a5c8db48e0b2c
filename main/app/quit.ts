/**
 * Closing the services as the app quits. The quit is held until the import workers have ended:
 * a worker thread still running when the process exits is stopped wherever it is, and one
 * stopped inside a call into the database addon aborts the process instead of quitting. They
 * end within milliseconds (a running import stops at its next clip and removes what it staged);
 * should one not, the app goes on after {@link QUIT_WAIT_MS}. The services close only then, so
 * nothing that finishes during the wait (an import's last step, a power event) meets a closed
 * database.
 */
import type { App } from 'electron';
import type { Logger } from '../log/logger';
import type { Services } from '../services';

export const QUIT_WAIT_MS = 5_000;

export function closeServicesOnQuit(
  app: Pick<App, 'on' | 'quit'>,
  services: () => Pick<Services, 'close' | 'endWorkers'> | undefined,
  logger: Pick<Logger, 'error'>,
  waitMs = QUIT_WAIT_MS,
): void {
  let stage: 'open' | 'closing' | 'closed' = 'open';
  app.on('will-quit', (event) => {
    const open = services();
    if (open === undefined || stage === 'closed') {
      // Nothing to close, or closed and quitting now.
      return;
    }
    // Held while closing too: a second quit asked meanwhile would otherwise go through at once,
    // before the services closed. The first one quits once they have.
    event.preventDefault();
    if (stage === 'closing') {
      return;
    }
    stage = 'closing';
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    });
    const close = async (): Promise<void> => {
      try {
        await Promise.race([open.endWorkers(), giveUp]);
      } finally {
        clearTimeout(timer);
        open.close();
      }
    };
    void close()
      .catch((error: unknown) => {
        logger.error('app: closing the services failed', {
          message: error instanceof Error ? error.message : String(error),
        });
      })
      .finally(() => {
        stage = 'closed';
        // Not from this turn: a quit asked while Electron is still handling the one this
        // handler held back is ignored, and the app would linger without a window.
        setTimeout(() => app.quit(), 0);
      });
  });
}
