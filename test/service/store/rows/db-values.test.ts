import { describe, expect, it } from 'vitest';
import { fromDbBoolean } from '../../../../service/store/rows/db-values';

describe('fromDbBoolean', () => {
  it('reads PostgreSQL booleans as they are', () => {
    expect(fromDbBoolean(true)).toBe(true);
    expect(fromDbBoolean(false)).toBe(false);
  });

  it("reads SQLite's 1 as true and 0 or NULL as false", () => {
    expect(fromDbBoolean(1)).toBe(true);
    expect(fromDbBoolean(0)).toBe(false);
    expect(fromDbBoolean(null)).toBe(false);
  });
});
