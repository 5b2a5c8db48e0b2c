import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppStore, type AppStore } from '../../../../renderer/store';
import { createInProcessApi, type InProcessApi } from '../../../support/in-process-api';

describe('player slice', () => {
  let main: InProcessApi;
  let store: AppStore;
  const player = () => store.getState().player;

  beforeEach(() => {
    main = createInProcessApi();
    store = createAppStore(main.api);
  });

  afterEach(() => {
    main.cleanup();
  });

  it('starts stopped at normal speed', () => {
    expect(player()).toMatchObject({ playing: false, positionMs: 0, rate: 1, peaks: null });
  });

  it('steps the rate in tenths and holds it inside 0.5–2.0', () => {
    for (let i = 0; i < 12; i += 1) {
      player().stepRate(1);
    }
    expect(player().rate).toBe(2);
    for (let i = 0; i < 16; i += 1) {
      player().stepRate(-1);
    }
    expect(player().rate).toBe(0.5);
    expect(player().stepRate(1)).toBe(0.6);

    player().setRate(9);
    expect(player().rate).toBe(2);
  });

  it('keeps the rate when the clip changes, but resets the playhead and peaks', () => {
    player().setRate(1.3);
    player().setPlaying(true);
    player().setPosition(1_200);
    player().setPeaks([0.2, 1]);

    player().clipChanged(null);

    expect(player()).toMatchObject({ playing: false, positionMs: 0, peaks: null, rate: 1.3 });
  });

  it('holds only serializable state', () => {
    player().setPeaks([0.5]);
    const data = Object.fromEntries(Object.entries(player()).filter(([, v]) => typeof v !== 'function'));

    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
  });
});
