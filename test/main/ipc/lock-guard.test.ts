import { describe, expect, it } from 'vitest';
import { invokeChannels } from '../../../shared/ipc/channels';
import { LOCKED_CHANNELS, OPEN_WHILE_LOCKED } from '../../../main/ipc/lock-guard';

describe('lock guard', () => {
  it('decides for every channel whether it answers while locked, and never both ways', () => {
    const undecided = invokeChannels.filter((c) => !LOCKED_CHANNELS.has(c) && !OPEN_WHILE_LOCKED.has(c));
    const both = invokeChannels.filter((c) => LOCKED_CHANNELS.has(c) && OPEN_WHILE_LOCKED.has(c));
    expect(undecided).toEqual([]);
    expect(both).toEqual([]);
    expect(LOCKED_CHANNELS.size + OPEN_WHILE_LOCKED.size).toBe(invokeChannels.length);
  });

  it('locks every channel that returns clip audio, saved work or reports', () => {
    for (const channel of [
      'clips:open',
      'clips:list',
      'annotations:work',
      'annotations:history',
      'reports:exportCsv',
      'reports:exportPdf',
    ] as const) {
      expect(LOCKED_CHANNELS.has(channel), channel).toBe(true);
    }
  });
});
