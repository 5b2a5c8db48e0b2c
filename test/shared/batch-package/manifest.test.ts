import { describe, expect, it } from 'vitest';
import { FORMAT_VERSION, formatVersionProblem } from '../../../shared/batch-package/manifest';

describe('batch package format version', () => {
  it('is version 2, the first with a header tag', () => {
    expect(FORMAT_VERSION).toBe(2);
  });

  it('says nothing about the current version, another format or a value the schema must judge', () => {
    for (const value of [
      { format: 'earmark-batch', version: 2 },
      { format: 'something-else', version: 1 },
      { format: 'earmark-batch', version: '1' },
      { format: 'earmark-batch', version: 1.5 },
      { format: 'earmark-batch', version: 0 },
      [1],
      null,
      'earmark-batch',
    ]) {
      expect(formatVersionProblem(value)).toBeUndefined();
    }
  });

  it('asks for a version 1 package to be packed again, saying why', () => {
    expect(formatVersionProblem({ format: 'earmark-batch', version: 1 })).toBe(
      'This package is in batch format version 1, whose readable header (expiry, locale, times) is not authenticated; ' +
        'this Earmark reads only version 2. Pack the batch again with this version ("npm run batch -- pack"), or check it ' +
        'out from the annotation service again.',
    );
  });

  it('asks for a newer Earmark for a newer version', () => {
    expect(formatVersionProblem({ format: 'earmark-batch', version: 7 })).toBe(
      'This package is in batch format version 7, newer than this Earmark reads (version 2); update Earmark to import it.',
    );
  });
});
