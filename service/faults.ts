/**
 * Fault switches: the reference service misbehaves on purpose so the client's sender can be
 * tested against the failures real networks produce. Tests set them on the server object; an
 * operator sets them with `--fault` or POST /v1/admin/faults. The switch and its counters live
 * in the store, so every service process on one store plays the same fault.
 */
import type { FaultRequest } from '../shared/sync/messages';
import { NO_FAULT, type FaultRepository, type FaultSwitch } from './store/fault-repository';

export type FaultState = FaultSwitch;

export function createFaults(store: FaultRepository, o: { readonly playing: boolean }) {
  return {
    /** Whether this process plays the switch at all. */
    playing: o.playing,
    /** The switch as the store holds it, whether or not this process plays it. */
    get: (): Promise<FaultState> => store.get(),
    /** The switch this request plays: read from the store when this process plays faults, else none. */
    inForce: (): Promise<FaultState | undefined> => (o.playing ? store.get() : Promise.resolve(undefined)),
    /** Switches to a fault (or back to `none`); counters start again. */
    set: async (r: FaultRequest): Promise<FaultState> => {
      const state: FaultState = {
        fault: r.fault,
        delayMs: r.delayMs ?? NO_FAULT.delayMs,
        retryAfterSeconds: r.retryAfterSeconds ?? NO_FAULT.retryAfterSeconds,
        afterOps: r.afterOps ?? NO_FAULT.afterOps,
        every: r.every ?? NO_FAULT.every,
      };
      await store.set(state);
      return state;
    },
    /** Counts an upload and says whether this one is a misbehaving one. */
    nextUploadMisbehaves: async (): Promise<boolean> => {
      const { uploads, every } = await store.countUpload();
      return uploads % every === 1 % every;
    },
    /**
     * True once per switch: the session that crossed `afterOps` loses its token, then never again.
     * Always false, without asking the store, in a process that does not play faults.
     */
    takeTokenExpiry: (opsStored: number): Promise<boolean> =>
      o.playing ? store.takeTokenExpiry(opsStored) : Promise.resolve(false),
  };
}

export type Faults = ReturnType<typeof createFaults>;
