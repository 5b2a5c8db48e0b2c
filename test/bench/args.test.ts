import { describe, expect, it } from 'vitest';
import {
  CLIPS_ENV,
  DEFAULT_ROUNDS,
  FULL_CLIPS,
  ONLY_ENV,
  parseBenchArgs,
  QUICK_CLIPS,
  UsageError,
} from '../../bench/args';

describe('parseBenchArgs', () => {
  it('runs the full bench once by default', () => {
    expect(parseBenchArgs([])).toEqual({
      json: undefined,
      clips: FULL_CLIPS,
      compare: undefined,
      rounds: DEFAULT_ROUNDS,
      only: ['vault', 'sync', 'renderer'],
    });
  });

  it('reads a comparison with its rounds, clip count and JSON file', () => {
    expect(parseBenchArgs(['--json', 'out.json', '--compare', 'HEAD~1', '--rounds', '2', '--clips', '250'])).toEqual({
      json: 'out.json',
      clips: 250,
      compare: 'HEAD~1',
      rounds: 2,
      only: ['vault', 'sync', 'renderer'],
    });
  });

  it('takes --quick as a 250-clip run', () => {
    expect(parseBenchArgs(['--quick']).clips).toBe(QUICK_CLIPS);
  });

  it('takes the clip count from the environment when no option gives it', () => {
    expect(parseBenchArgs([], { [CLIPS_ENV]: '300' }).clips).toBe(300);
    expect(parseBenchArgs(['--clips', '120'], { [CLIPS_ENV]: '300' }).clips).toBe(120);
    expect(parseBenchArgs([], { [CLIPS_ENV]: '' }).clips).toBe(FULL_CLIPS);
  });

  it('runs the parts --only names, in their usual order, from the option or the environment', () => {
    expect(parseBenchArgs(['--only', 'sync,vault']).only).toEqual(['vault', 'sync']);
    expect(parseBenchArgs([], { [ONLY_ENV]: 'renderer' }).only).toEqual(['renderer']);
  });

  it.each([
    [['--only', 'vault,gpu']],
    [['--only', '']],
    [['--clips', '5']],
    [['--clips', '2.5']],
    [['--clips', 'many']],
    [['--quick', '--clips', '300']],
    [['--rounds', '2']],
    [['--compare', 'main', '--rounds', '0']],
    [['--compare', '']],
    [['--unknown']],
    [['stray']],
  ])('refuses %j with a usage message', (argv) => {
    expect(() => parseBenchArgs(argv)).toThrow(UsageError);
  });

  it('refuses a clip count from the environment that is out of range', () => {
    expect(() => parseBenchArgs([], { [CLIPS_ENV]: '10' })).toThrow(/EARMARK_BENCH_CLIPS/);
  });
});
