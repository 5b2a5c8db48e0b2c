/**
 * Opaque random ids for the clips gold uses become, and for gold clips themselves. A use's clip
 * id is made exactly as every packed clip id is (shared/batch-package/pseudonymous-ids.ts), so it
 * says nothing about what it is; a gold clip's own id has the same body behind `g-`.
 */
import { randomBytes } from 'node:crypto';
import { newId } from '../shared/batch-package/pseudonymous-ids';

const draw = (count: number): Uint8Array => new Uint8Array(randomBytes(count));

/** A fresh clip id, `c-` and 16 random characters: what each use of a gold clip is packed under. */
export const newClipId = (): string => newId('clip', draw);

/** A fresh gold clip id, `g-` and 16 random characters: the operator's handle, never packed. */
export const newGoldId = (): string => `g-${newId('clip', draw).slice(2)}`;

/** The shape of a gold clip id, for checking what an operator typed. */
export const GOLD_ID = /^g-[0-9A-HJKMNP-TV-Z]{16}$/;
