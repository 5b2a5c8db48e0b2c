import { describe, expect, it } from 'vitest';
import { figuresOf } from '../../../bench/compare/run-json';

describe('figuresOf', () => {
  it('keeps the top-level numbers and leaves the machine and date out', () => {
    const json = { import_mb_s: 82.2, clip_open_ms_p50: 0.05, machine: { cores: 2 }, date: '2026-12-05T12:00:00Z' };
    expect(figuresOf(json)).toEqual({ import_mb_s: 82.2, clip_open_ms_p50: 0.05 });
  });

  it('refuses anything but an object', () => {
    expect(() => figuresOf([1, 2])).toThrow(/not an object/);
    expect(() => figuresOf(null)).toThrow(/not an object/);
  });
});
