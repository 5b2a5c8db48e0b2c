/**
 * The batch package's header tag: HMAC-SHA256, under a key derived from the batch key, over the
 * exact bytes of the preamble and readable header. Every readable field (times, locale, ids,
 * sizes, IVs and tags) is covered as written, so nothing in the header can be changed without
 * the batch key, and no canonical re-encoding of the JSON is needed to check it.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { HEADER_TAG_BYTES } from '../../shared/batch-package/limits';
import { aad, KEY_BYTES } from './aead';

/** A key of its own, so the batch key is never used directly for two algorithms. */
function tagKey(batchKey: Buffer, batchId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', batchKey, Buffer.alloc(0), aad('header-tag', batchId), KEY_BYTES));
}

/** The tag over `preambleAndHeader`, the package's bytes from its magic to the header's end. */
export function headerTag(batchKey: Buffer, batchId: string, preambleAndHeader: Buffer): Buffer {
  const key = tagKey(batchKey, batchId);
  try {
    return createHmac('sha256', key).update(preambleAndHeader).digest();
  } finally {
    key.fill(0);
  }
}

/** True when `tag` is the header tag of `preambleAndHeader`; compared in constant time. */
export function headerTagMatches(batchKey: Buffer, batchId: string, preambleAndHeader: Buffer, tag: Buffer): boolean {
  const expected = headerTag(batchKey, batchId, preambleAndHeader);
  return tag.length === HEADER_TAG_BYTES && timingSafeEqual(expected, tag);
}
