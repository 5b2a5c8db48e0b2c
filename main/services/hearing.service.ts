/**
 * Hearing one clip outside the batches (docs/sync-protocol.md, "Hearing one clip") and the
 * second-listen requests of the team help queue ("Second listen").
 *
 * A one-clip package is opened in memory with the device key: its batch key and the clip's
 * ciphertext are held here, apart from the vault, and nothing of it is written to disk. The
 * audio is decrypted only when played; the holding is crypto-erased (key zeroed, dropped) when
 * the window releases it, when it expires, and at sign-out and lock.
 */
import { randomUUID } from 'node:crypto';
import { aad, open, type Sealed } from '../../core/crypto/aead';
import { readPackage, type ClipOutcome } from '../../core/package/package-reader';
import type { HeardClip, HeldClip } from '../../shared/domain/hearing';
import type {
  AudioWindow,
  HearingKind,
  ListenQueueItem,
  NewListenRequest,
  OwnListenRequest,
} from '../../shared/sync/hearing-messages';
import type { Logger } from '../log/logger';
import type { DeviceKeys } from './device-keys';
import type { EventHub } from './event-hub';
import { ServiceError } from './service-error';
import type { SyncService } from './sync.service';
import { createOwnListenRequests } from './own-listen-requests';
import type { HearingHttp } from './sync/hearing-http';
import { SyncHttpError } from './sync/sync-http';
import type { TrustedClock } from './trusted-clock';

export type HearingDeps = {
  /**
   * Its `hearing()` gives the calls for the current session (throws UNAVAILABLE when signed out
   * or offline); each of its cycles refreshes the account's own requests.
   */
  readonly sync: { hearing(): HearingHttp } & Pick<SyncService, 'addStep'>;
  readonly deviceKeys: Pick<DeviceKeys, 'deviceKey'>;
  readonly clock: Pick<TrustedClock, 'now'>;
  readonly events: Pick<EventHub, 'on' | 'emit'>;
  readonly logger: Logger;
  /** Makes request ids; random UUIDs unless a test says otherwise. */
  readonly newId?: () => string;
};

type Held = HeldClip & { readonly batchId: string; readonly codec: HeardClip['codec']; key: Buffer; sealed: Sealed };

/** What the service's refusal means to the person asking. */
function asServiceError(error: unknown): unknown {
  if (!(error instanceof SyncHttpError)) {
    return error;
  }
  if (error.failure === 'network') {
    return new ServiceError('UNAVAILABLE', error.message);
  }
  switch (error.status) {
    case 404:
      return new ServiceError('NOT_FOUND', error.message);
    case 409:
      return new ServiceError('CONFLICT', error.message);
    case 410:
      return new ServiceError('CONSENT_WITHDRAWN', error.message);
    case 401:
    case 403:
      return new ServiceError(error.code === 'forbidden' ? 'FORBIDDEN_ROLE' : 'UNAVAILABLE', error.message);
    default:
      return new ServiceError('UNAVAILABLE', error.message);
  }
}

async function asking<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (error) {
    throw asServiceError(error);
  }
}

export function createHearingService(d: HearingDeps) {
  const held = new Map<string, Held>();
  const own = createOwnListenRequests(d);

  const erase = (holdId: string): void => {
    const h = held.get(holdId);
    if (h) {
      h.key.fill(0);
      h.sealed.ciphertext.fill(0);
      held.delete(holdId);
    }
  };
  /**
   * Bumped whenever everything held is erased (a lock, a sign-in, a sign-out): a clip fetched
   * before one that arrives after it is not held, as it would have been erased with the rest.
   */
  let holding = 0;
  const eraseAll = (): void => {
    holding += 1;
    [...held.keys()].forEach(erase);
  };
  /** Refuses to go on when everything held was erased since `since` (the clip would not be kept). */
  const stillHolding = (since: number, bytes?: Buffer): void => {
    if (since !== holding) {
      bytes?.fill(0);
      throw new ServiceError(
        'UNAVAILABLE',
        'The app was locked or the account changed while the clip was fetched, so it was not kept. Ask for it again.',
      );
    }
  };
  /** Holds what arrived, unless everything held was erased since it was asked for (`since`). */
  const holdIfStill = (since: number, ...args: Parameters<typeof hold>): HeldClip => {
    stillHolding(since, args[2]);
    return hold(...args);
  };

  /** Opens the package with the device key and holds its one clip. */
  const hold = (kind: HearingKind, holdId: string, bytes: Buffer, window: AudioWindow | null): HeldClip => {
    erase(holdId);
    let found: Extract<ClipOutcome, { kind: 'ok' }> | undefined;
    let batchKey: Buffer | undefined;
    try {
      const opened = readPackage(
        bytes,
        { device: d.deviceKeys.deviceKey(), now: d.clock.now() },
        {
          onClip: (o) => {
            if (o.kind === 'ok' && !found) {
              found = o;
            }
          },
        },
      );
      batchKey = opened.batchKey;
      if (!found) {
        throw new ServiceError('CONSENT_WITHDRAWN', 'The package holds no clip to hear.');
      }
      const clip: HeldClip = {
        holdId,
        kind,
        clipId: found.details.id,
        durationMs: found.details.durationMs,
        expiresAt: Date.parse(opened.header.expiresAt),
        window,
      };
      held.set(holdId, {
        ...clip,
        batchId: opened.header.batchId,
        codec: found.details.codec,
        key: Buffer.from(batchKey),
        sealed: { iv: found.iv, tag: found.tag, ciphertext: Buffer.from(found.ciphertext) },
      });
      return clip;
    } finally {
      bytes.fill(0);
      batchKey?.fill(0);
    }
  };

  // Held clips are the signed-in account's alone: a sign-in over a lapsed session erases them too.
  const unsubscribe = [
    d.events.on('lock:locked', eraseAll),
    d.events.on('session:signedOut', eraseAll),
    d.events.on('session:signedIn', eraseAll),
  ];

  return {
    /** Fetches an escalated clip packed for this device and holds it (supervisors of the reviewer's team). */
    async hearEscalation(opId: string): Promise<HeldClip> {
      const http = d.sync.hearing();
      const keyId = d.deviceKeys.deviceKey().keyId;
      const since = holding;
      const bytes = await asking(() => http.escalationClip(opId, keyId));
      return holdIfStill(since, 'escalation', opId, bytes, null);
    },

    /** Decrypts a held clip for the protected player and reports the playback to the service. */
    open(holdId: string): HeardClip {
      const h = held.get(holdId);
      if (!h) {
        throw new ServiceError('NOT_FOUND', 'That clip is no longer held here; ask for it again.');
      }
      if (h.expiresAt <= d.clock.now()) {
        erase(holdId);
        throw new ServiceError('EXPIRED', 'That clip may no longer be held; it was erased.');
      }
      const audio = open(h.key, h.sealed, aad('clip', h.batchId, h.clipId), 'Clip audio');
      const report = { kind: h.kind, subject: holdId, clipId: h.clipId, playedAt: d.clock.now() };
      void asking(() => d.sync.hearing().reportPlayback(report)).catch((error: unknown) => {
        d.logger.warn('hearing: a playback report was not taken', {
          code: error instanceof ServiceError ? error.code : 'INTERNAL',
        });
      });
      const { key: _key, sealed: _sealed, batchId: _batchId, ...clip } = h;
      return { ...clip, audio: new Uint8Array(audio) };
    },

    /** Erases a held clip: the window is done with it. */
    release(holdId: string): null {
      erase(holdId);
      return null;
    },

    /** Asks the team for a second listen on a span of the reviewer's transcript. */
    async ask(r: Omit<NewListenRequest, 'requestId'>): Promise<{ readonly requestId: string }> {
      const request = { ...r, requestId: (d.newId ?? randomUUID)() };
      await asking(() => d.sync.hearing().ask(request));
      return { requestId: request.requestId };
    },

    /** The team's open requests, and those this account took. */
    queue: (): Promise<ListenQueueItem[]> => asking(() => d.sync.hearing().queue()),

    /** This account's own requests with any proposal, as the last sync cycle fetched them. */
    mine: (): readonly OwnListenRequest[] => own.current(),

    /** Takes a teammate's request and holds its clip for this device. */
    async take(requestId: string): Promise<HeldClip> {
      const http = d.sync.hearing();
      const keyId = d.deviceKeys.deviceKey().keyId;
      const since = holding;
      const item = await asking(() => http.take(requestId));
      stillHolding(since);
      const bytes = await asking(() => http.requestClip(requestId, keyId));
      return holdIfStill(since, 'second_listen', requestId, bytes, item.window);
    },

    /** Proposes text for the span of a request this account took; the clip is done with. */
    async propose(requestId: string, text: string): Promise<null> {
      await asking(() => d.sync.hearing().propose(requestId, text));
      erase(requestId);
      return null;
    },

    /** The requester accepts or ignores a proposal. */
    async decide(requestId: string, decision: 'accepted' | 'ignored'): Promise<null> {
      await asking(() => d.sync.hearing().decide(requestId, decision));
      own.decided(requestId, decision);
      return null;
    },

    /** How many clips are held now (for tests and the log). */
    heldCount: (): number => held.size,

    /** Erases everything held and stops listening for lock and sign-out. */
    dispose(): void {
      eraseAll();
      own.dispose();
      unsubscribe.forEach((off) => off());
    },
  };
}

export type HearingService = ReturnType<typeof createHearingService>;
