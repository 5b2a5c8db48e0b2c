import type { Migration } from './types';

/**
 * Wrapped batch keys at rest take the encoding the packages use: the key id and every buffer in
 * base64 under its full name. Earlier builds stored a shorter JSON object (`e`, `s`, `i`, `t`,
 * `k`, the key id only in its own column); each such row is rewritten in place, so one decoder
 * reads every row. The key bytes are unchanged: this is re-encoding, not re-wrapping.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'wrapped-key-encoding',
  up(db) {
    db.exec(`
      UPDATE batch_keys
      SET wrap = CAST(json_object(
        'keyId', key_id,
        'ephemeralPublicKey', json_extract(CAST(wrap AS TEXT), '$.e'),
        'salt', json_extract(CAST(wrap AS TEXT), '$.s'),
        'iv', json_extract(CAST(wrap AS TEXT), '$.i'),
        'tag', json_extract(CAST(wrap AS TEXT), '$.t'),
        'wrappedKey', json_extract(CAST(wrap AS TEXT), '$.k')
      ) AS BLOB)
      WHERE json_valid(CAST(wrap AS TEXT)) AND json_type(CAST(wrap AS TEXT), '$.e') = 'text';
    `);
  },
};
