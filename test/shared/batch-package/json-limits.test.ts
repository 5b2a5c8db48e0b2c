import { describe, expect, it } from 'vitest';
import { findJsonLimitProblem } from '../../../shared/batch-package/json-limits';

const limits = { maxDepth: 3, maxMembers: 4 };
const check = (text: string) => findJsonLimitProblem(text, limits);

describe('JSON limits scan', () => {
  it('passes JSON within the limits', () => {
    expect(check('{"a":[1,2,3,4],"b":{"c":[1]},"d":"x"}')).toBeUndefined();
    expect(check('[]')).toBeUndefined();
    expect(check('"just a string"')).toBeUndefined();
  });

  it('names the first container nested too deep, as the identity walk would', () => {
    expect(check('{"a":[{"b":[1]}]}')).toEqual({ kind: 'depth', path: 'a[0].b' });
    expect(check('[[[[1]]]]')).toEqual({ kind: 'depth', path: '[0][0][0]' });
    expect(findJsonLimitProblem('{}', { maxDepth: 0, maxMembers: 4 })).toEqual({ kind: 'depth', path: '(top level)' });
  });

  it('names the container that holds one member too many', () => {
    expect(check('{"clips":[1,2,3,4,5]}')).toEqual({ kind: 'members', path: 'clips' });
    expect(check('{"a":1,"b":2,"c":3,"d":4,"e":5}')).toEqual({ kind: 'members', path: '(top level)' });
    expect(check('{"x":[{"p":1,"q":2},{"a":1,"b":2,"c":3,"d":4,"e":5}]}')).toEqual({ kind: 'members', path: 'x[1]' });
  });

  it('ignores brackets, commas and quotes inside strings', () => {
    expect(check('{"a":"[[[[,,,,,{{{{","b":"\\"[[[[\\\\"}')).toBeUndefined();
    expect(check('{"k\\"[,":[1,2,3,4,5]}')).toEqual({ kind: 'members', path: 'k"[,' });
  });

  it('shortens a very long field name in the path it reports', () => {
    const key = 'k'.repeat(10_000);
    const problem = check(`{"${key}":[[[1]]]}`);
    expect(problem?.path).toBe(`${'k'.repeat(64)}…[0][0]`);
  });

  it('stops at the first member too many of a huge list instead of reading it all', () => {
    const huge = `{"clips":[${'0,'.repeat(2_000_000)}0]}`;
    // The answer comes from the first few bytes: the same with the rest cut off.
    expect(check(huge)).toEqual(check(huge.slice(0, 30)));
    expect(findJsonLimitProblem(huge, { maxDepth: 8, maxMembers: 10_000 })).toEqual({ kind: 'members', path: 'clips' });
  });

  it('leaves text that is not JSON to the parser', () => {
    expect(check('not json, at all')).toBeUndefined();
    expect(check(']]]}}}')).toBeUndefined();
    expect(check('{"unterminated')).toBeUndefined();
  });
});
