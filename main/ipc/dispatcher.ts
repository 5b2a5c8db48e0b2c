/**
 * Runs one IPC call: sender check → schema check → handler → Result. Both transports (Electron's
 * ipcMain and the browser test bridge) go through this, so every call is checked the same way.
 */
import type { InvokeChannel } from '../../shared/ipc/contract';
import { requestSchemas } from '../../shared/ipc/schemas';
import { err, ok, type Result } from '../../shared/result';
import type { Logger } from '../log/logger';
import { storageErrorCode, storageMessages } from '../services/storage-error';
import { ServiceError } from '../services/service-error';
import type { HandlerTable } from './handlers';
import { isTrustedSender, type SenderInfo } from './sender';

export type DispatcherOptions = {
  readonly handlers: HandlerTable;
  readonly allowedOrigin: string;
  readonly logger: Logger;
};

export type Dispatcher = {
  invoke(sender: SenderInfo, channel: string, payload: unknown): Promise<Result<unknown>>;
};

function isChannel(channel: string): channel is InvokeChannel {
  return Object.hasOwn(requestSchemas, channel);
}

function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 5)
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * Once SQLite has reported the file damaged, no call reaches its handler again but the one the
 * frame needs to render: a draft that still saved next to a refused submit would tell the
 * reviewer the app works. Every other call answers STORAGE_CORRUPT, until a restart checks the file.
 */
const OPEN_WHEN_CORRUPT: ReadonlySet<InvokeChannel> = new Set<InvokeChannel>(['app:getInfo']);

export function createDispatcher({ handlers, allowedOrigin, logger }: DispatcherOptions): Dispatcher {
  let corrupt = false;
  return {
    async invoke(sender, channel, payload) {
      if (!isChannel(channel)) {
        logger.warn('ipc: unknown channel refused', { channel: channel.slice(0, 64) });
        return err('UNKNOWN_CHANNEL', `Unknown call "${channel.slice(0, 64)}".`);
      }
      if (!isTrustedSender(sender, allowedOrigin)) {
        logger.warn('ipc: untrusted sender refused', { channel });
        return err('FORBIDDEN_SENDER', 'This window may not call the app.');
      }
      const parsed = requestSchemas[channel].safeParse(payload);
      if (!parsed.success) {
        return err('BAD_REQUEST', `Invalid request for "${channel}": ${describeIssues(parsed.error.issues)}.`);
      }
      if (corrupt && !OPEN_WHEN_CORRUPT.has(channel)) {
        return err('STORAGE_CORRUPT', storageMessages.STORAGE_CORRUPT);
      }
      const handler = handlers[channel] as (request: unknown) => unknown;
      try {
        return ok(await handler(parsed.data));
      } catch (error) {
        if (error instanceof ServiceError) {
          return { ok: false, error: error.toAppError() };
        }
        const storage = storageErrorCode(error);
        // Unexpected failures are logged by type only: messages can quote clip content.
        logger.error('ipc: handler failed', {
          channel,
          error: error instanceof Error ? error.name : typeof error,
          ...(storage ? { storage } : {}),
        });
        if (storage === 'STORAGE_CORRUPT') {
          corrupt = true;
        }
        if (storage) {
          // Never "your saved work is safe": this write was not stored, and the disk is why.
          return err(storage, storageMessages[storage]);
        }
        return err('INTERNAL', 'Something went wrong in the app. Your saved work is safe.');
      }
    },
  };
}
