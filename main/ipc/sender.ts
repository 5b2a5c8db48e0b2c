import { isSameOrigin } from './origin';

/** What a transport knows about who sent a call. */
export type SenderInfo = {
  /** URL of the frame that sent the call; undefined when the frame is gone. */
  readonly frameUrl: string | undefined;
  /** True when the frame belongs to a window this app created. */
  readonly fromOwnWindow: boolean;
};

/** Only frames of our own windows, showing our own origin, may call main. */
export function isTrustedSender(sender: SenderInfo, allowedOrigin: string): boolean {
  return sender.fromOwnWindow && isSameOrigin(sender.frameUrl, allowedOrigin);
}
