import type { createServices } from '../main/services';

type Logger = Parameters<typeof createServices>[0]['logger'];

/** A benchmark measures, it does not report: the services' log entries are dropped. */
export const quietLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
