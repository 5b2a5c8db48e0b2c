/**
 * The main-process logger. One line of JSON per entry on stderr. Callers pass facts, never
 * clip content: there is no field for transcripts or audio, and `context` values are plain.
 * As a second line of defence every `context` passes through the redactor (./redact.ts):
 * content-named strings are dropped, clip ids hashed, long strings cut. `message` is written
 * as given, so it must be a literal, never text built from data.
 */
import { createRedactor, type Redactor } from './redact';

export const logLevels = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];
export type LogContext = Readonly<Record<string, string | number | boolean | null>>;

export type Logger = {
  debug(message: string, context?: LogContext): void;
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext): void;
};

export type LogSink = (line: string) => void;

/** Creates a logger that drops entries below `minLevel` and redacts every context it writes. */
export function createLogger(
  minLevel: LogLevel = 'info',
  sink: LogSink = (line) => process.stderr.write(`${line}\n`),
  redactor: Redactor = createRedactor(),
): Logger {
  const threshold = logLevels.indexOf(minLevel);
  const write = (level: LogLevel, message: string, context?: LogContext): void => {
    if (logLevels.indexOf(level) < threshold) {
      return;
    }
    const safe = context ? redactor.context(context) : {};
    sink(JSON.stringify({ time: new Date().toISOString(), level, message, ...safe }));
  };
  return {
    debug: (m, c) => write('debug', m, c),
    info: (m, c) => write('info', m, c),
    warn: (m, c) => write('warn', m, c),
    error: (m, c) => write('error', m, c),
  };
}

/** A logger that discards everything, for tests that do not inspect logs. */
export const silentLogger: Logger = createLogger('error', () => undefined);
