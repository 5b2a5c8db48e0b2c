import { describe, expect, it } from 'vitest';
import type { AnnotationBody } from '../../../shared/domain/annotation';
import { editBody, findEdit, shiftSpan } from '../../../renderer/review/span-shift';

const body = (over: Partial<AnnotationBody> = {}): AnnotationBody => ({
  transcript: 'call mom at 555 1234 please',
  critical: [{ start: 12, end: 20, category: 'phone' }],
  entities: [{ start: 5, end: 8, type: 'contact' }],
  ...over,
});

describe('finding an edit', () => {
  it('finds an insertion, a deletion and a replacement by common prefix and suffix', () => {
    expect(findEdit('call mom', 'call the mom')).toEqual({ start: 5, oldEnd: 5, newEnd: 9 });
    expect(findEdit('call the mom', 'call mom')).toEqual({ start: 5, oldEnd: 9, newEnd: 5 });
    expect(findEdit('call mom now', 'call dad now')).toEqual({ start: 5, oldEnd: 8, newEnd: 8 });
  });

  it('reports no edit for the same text', () => {
    expect(findEdit('same', 'same')).toBeNull();
  });

  it('never lets prefix and suffix overlap when a repeated letter is typed', () => {
    expect(findEdit('aa', 'aaa')).toEqual({ start: 2, oldEnd: 2, newEnd: 3 });
  });
});

describe('shifting spans', () => {
  const edit = { start: 10, oldEnd: 12, newEnd: 15 };

  it('keeps a span that ends before the edit where it is', () => {
    expect(shiftSpan({ start: 2, end: 10 }, edit)).toEqual({ start: 2, end: 10 });
  });

  it('moves a span that starts after the edit by the change in length', () => {
    expect(shiftSpan({ start: 12, end: 14, type: 'song' }, edit)).toEqual({ start: 15, end: 17, type: 'song' });
  });

  it('drops a span the edit overlaps or falls inside', () => {
    expect(shiftSpan({ start: 8, end: 11 }, edit)).toBeNull();
    expect(shiftSpan({ start: 11, end: 20 }, edit)).toBeNull();
    expect(shiftSpan({ start: 5, end: 20 }, { start: 10, oldEnd: 10, newEnd: 12 })).toBeNull();
  });
});

describe('editing a tagged transcript', () => {
  it('shifts spans after a word typed before them and keeps those before it', () => {
    const next = editBody(body(), 'call mom at home 555 1234 please');
    expect(next.critical).toEqual([{ start: 17, end: 25, category: 'phone' }]);
    expect(next.entities).toEqual([{ start: 5, end: 8, type: 'contact' }]);
    expect(next.transcript.slice(17, 25)).toBe('555 1234');
  });

  it('shifts spans back when text before them is deleted', () => {
    const next = editBody(body(), 'call mom 555 1234 please');
    expect(next.critical).toEqual([{ start: 9, end: 17, category: 'phone' }]);
  });

  it('drops a span whose text is edited, and only that one', () => {
    const next = editBody(body(), 'call mom at 555 1299 please');
    expect(next.critical).toEqual([]);
    expect(next.entities).toEqual([{ start: 5, end: 8, type: 'contact' }]);
  });

  it('leaves the body untouched when the text did not change', () => {
    const b = body();
    expect(editBody(b, b.transcript)).toBe(b);
  });
});
