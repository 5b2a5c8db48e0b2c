import { describe, expect, it } from 'vitest';
import { isInside } from '../../../core/fs/path-inside';

describe('isInside', () => {
  it('accepts the root and its descendants', () => {
    expect(isInside('/a/root', '/a/root')).toBe(true);
    expect(isInside('/a/root', '/a/root/x/y')).toBe(true);
    expect(isInside('/a/root', '/a/root/..x')).toBe(true);
  });

  it('rejects siblings that share a prefix, parents and other trees', () => {
    expect(isInside('/a/root', '/a/root2/x')).toBe(false);
    expect(isInside('/a/root', '/a')).toBe(false);
    expect(isInside('/a/root', '/etc/passwd')).toBe(false);
  });
});
