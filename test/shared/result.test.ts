import { describe, expect, it } from 'vitest';
import { err, ok } from '../../shared/result';

describe('Result', () => {
  it('carries a value on success and a code and message on failure', () => {
    expect(ok(3)).toEqual({ ok: true, value: 3 });
    expect(err('NOT_FOUND', 'gone')).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'gone' } });
  });
});
