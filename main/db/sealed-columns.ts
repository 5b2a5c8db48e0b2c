/**
 * A sealed value kept in three columns (IV, tag, ciphertext), read as one blob in the layout of
 * `sealedToBytes`. better-sqlite3 copies every blob it returns into a Buffer of its own, at about
 * a microsecond each; a sync reads a thousand revisions and a thousand metrics rows, so one blob
 * per row instead of three saves a few milliseconds of every cycle, and the parts are views of it.
 *
 * SQLite joins the columns as text: in a UTF-8 database (every database the app creates: see
 * connection.ts) a blob cast to text keeps its bytes as they are, with no check, and the result
 * cast back to a blob gives them back. SQLite calls text with embedded NULs undefined for string
 * functions; its concatenation copies them as they are, and test/main/db/sealed-columns.test.ts
 * checks every byte so an upgrade that changed this would be caught. Were bytes changed on the
 * way (a UTF-16 file put in place by hand drops one at every odd length), the value would not
 * authenticate: the read fails closed, it never opens to something else. A NULL in any column
 * gives NULL.
 */
/** The select expression reading `iv`, `tag` and `ciphertext` as one blob; `sealedFromBytes` (codec.ts) splits it. */
export const sealedColumns = (iv: string, tag: string, ciphertext: string): string =>
  `CAST(${iv} || ${tag} || ${ciphertext} AS BLOB)`;
