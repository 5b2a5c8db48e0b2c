import { describe, expect, it } from 'vitest';
import type { Annotation } from '../../../shared/domain/annotation';
import { canonicalJson } from '../../../shared/sync/canonical-json';
import { annotationOpSchema } from '../../../shared/sync/messages';
import { toAnnotationOp } from '../../../shared/sync/outgoing';

const annotation: Annotation = {
  batchId: 'b-AAAAAAAAAAAAAAB1',
  clipId: 'c-AAAAAAAAAAAAAAC1',
  revision: 2,
  opId: '5d0f0b8e-2a4f-4c33-9a49-1b7bb0f0d2a1',
  disposition: 'transcribed',
  submittedAt: 1_700_000_000_000,
  transcript: 'call Ana on 555 0100 and play Abbey Road',
  critical: [{ start: 12, end: 20, category: 'phone' }],
  entities: [
    { start: 5, end: 8, type: 'contact' },
    { start: 12, end: 15, type: 'product' },
    { start: 30, end: 40, type: 'album', kbId: 'kb-9' },
  ],
};

const BASE = '0b7d3f2e-1111-4c33-9a49-1b7bb0f0d2a1';
const RESENT = '9c1e5a0b-2222-4c33-9a49-1b7bb0f0d2a1';

describe('toAnnotationOp', () => {
  it('replaces critical data by its category and keeps only entities outside it, as text', () => {
    const op = toAnnotationOp(annotation, { baseOpId: BASE });
    expect(op.transcript).toBe('call Ana on [CRITICAL:phone] and play Abbey Road');
    expect(op.criticalCategories).toEqual(['phone']);
    expect(op.entities).toEqual([
      { type: 'contact', text: 'Ana' },
      { type: 'album', text: 'Abbey Road', kbId: 'kb-9' },
    ]);
    expect(JSON.stringify(op)).not.toContain('555');
    expect(annotationOpSchema.parse(op)).toEqual(op);
  });

  it('gives the same op for the same revision every time, so a resend is a duplicate, not a conflict', () => {
    expect(canonicalJson(toAnnotationOp(annotation, { baseOpId: BASE }))).toBe(
      canonicalJson(toAnnotationOp({ ...annotation }, { baseOpId: BASE })),
    );
  });

  it('names the revision it amends, and takes another place in the history when resent', () => {
    expect(toAnnotationOp(annotation, { baseOpId: BASE })).toMatchObject({
      opId: annotation.opId,
      revision: 2,
      baseRevision: 1,
      baseOpId: BASE,
    });
    const resent = toAnnotationOp(annotation, { opId: RESENT, revision: 5, baseOpId: BASE });
    expect(resent).toMatchObject({ opId: RESENT, revision: 5, baseRevision: 4, baseOpId: BASE });
    expect(annotationOpSchema.parse(resent)).toEqual(resent);
    expect(annotationOpSchema.safeParse({ ...resent, baseRevision: 3 }).success).toBe(false);
    expect(annotationOpSchema.safeParse({ ...resent, revision: 1, baseRevision: 0 }).success).toBe(false);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined, e: 'x' }], f: null })).toBe(
      '{"a":[{"d":2,"e":"x"}],"b":1,"f":null}',
    );
  });

  it('refuses numbers JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/finite/);
  });
});
