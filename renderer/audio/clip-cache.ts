/**
 * The audio cache: opened clips as object URLs and loaded sounds, keyed by clip id. Clip audio
 * lives only in memory (a Blob); its object URL is revoked the moment the clip leaves the cache.
 */
import type { OpenedClip } from '../../shared/domain/clip';
import type { ClipRef } from '../../shared/ipc/contract';
import { ok, type Result } from '../../shared/result';
import type { ClipInfo } from './audio-port';
import { Coverage } from './coverage';
import { mimeOf, type Sound, type SoundFactory } from './sound';

export type CachedClip = {
  readonly info: ClipInfo;
  readonly sound: Sound;
  readonly url: string;
  readonly coverage: Coverage;
  peaks: readonly number[] | null;
  heard: boolean;
};

export type ObjectUrls = { create(blob: Blob): string; revoke(url: string): void };

export type ClipCacheOptions = {
  readonly openClip: (ref: ClipRef) => Promise<Result<OpenedClip>>;
  readonly createSound: SoundFactory;
  readonly decodePeaks: (bytes: Uint8Array) => Promise<readonly number[] | null>;
  readonly urls: ObjectUrls;
  readonly ended: (clipId: string) => void;
  readonly failed: (clipId: string, message: string) => void;
  readonly peaks: (clipId: string, peaks: readonly number[]) => void;
};

export function createClipCache(o: ClipCacheOptions) {
  const entries = new Map<string, CachedClip>();
  const pending = new Map<string, Promise<Result<ClipInfo>>>();
  let wanted = new Set<string>();

  const release = (clipId: string): void => {
    const entry = entries.get(clipId);
    if (entry) {
      entries.delete(clipId);
      entry.sound.unload();
      o.urls.revoke(entry.url);
    }
  };

  const admit = (clip: OpenedClip): CachedClip => {
    const { audio, ...info } = clip;
    const url = o.urls.create(new Blob([audio.slice()], { type: mimeOf(clip.codec) }));
    const sound = o.createSound(url, clip.codec, {
      ended: () => o.ended(clip.id),
      failed: (message) => o.failed(clip.id, message),
    });
    const entry: CachedClip = { info, sound, url, coverage: new Coverage(), peaks: null, heard: false };
    entries.set(clip.id, entry);
    void o.decodePeaks(audio).then((peaks) => {
      if (peaks && entries.get(clip.id) === entry) {
        entry.peaks = peaks;
        o.peaks(clip.id, peaks);
      }
    });
    return entry;
  };

  const load = (ref: ClipRef): Promise<Result<ClipInfo>> => {
    const cached = entries.get(ref.clipId);
    if (cached) {
      return Promise.resolve(ok(cached.info));
    }
    const inFlight = pending.get(ref.clipId);
    if (inFlight) {
      return inFlight;
    }
    const opening = o.openClip(ref).then((result): Result<ClipInfo> => {
      pending.delete(ref.clipId);
      if (!result.ok) {
        return result;
      }
      // Released while it was being opened: never make a URL for it.
      const entry = wanted.has(ref.clipId) ? admit(result.value) : null;
      return ok(entry ? entry.info : (({ audio: _audio, ...info }) => info)(result.value));
    });
    pending.set(ref.clipId, opening);
    return opening;
  };

  return {
    get: (clipId: string): CachedClip | undefined => entries.get(clipId),

    /** Opens a clip and keeps it (until the next `retain` leaves it out). */
    open(ref: ClipRef): Promise<Result<ClipInfo>> {
      wanted.add(ref.clipId);
      return load(ref);
    },

    /** What `open` would resolve to, now: the clip when it is already opened and loaded. */
    openNow(ref: ClipRef): ClipInfo | null {
      const cached = entries.get(ref.clipId);
      if (!cached) {
        return null;
      }
      wanted.add(ref.clipId);
      return cached.info;
    },

    /** Keeps exactly these clips, releasing the rest and opening any that are missing. */
    retain(refs: readonly ClipRef[]): void {
      wanted = new Set(refs.map((r) => r.clipId));
      for (const clipId of [...entries.keys()]) {
        if (!wanted.has(clipId)) {
          release(clipId);
        }
      }
      for (const ref of refs) {
        void load(ref);
      }
    },

    clear(): void {
      wanted = new Set();
      for (const clipId of [...entries.keys()]) {
        release(clipId);
      }
    },

    size: (): number => entries.size,
  };
}

export type ClipCache = ReturnType<typeof createClipCache>;
