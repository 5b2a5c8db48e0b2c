import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_DOC_VERSION } from '../../../shared/sync/protocol';

describe('the protocol document', () => {
  it('is the version this build speaks, and lists that version first', () => {
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'sync-protocol.md'), 'utf8');
    expect(doc.split('\n')[0]).toBe(`# Annotation service protocol, version ${PROTOCOL_DOC_VERSION}`);
    expect(doc).toContain(`- **${PROTOCOL_DOC_VERSION}** (current)`);
  });
});
