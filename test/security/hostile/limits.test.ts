/**
 * A million clips and deep nesting: refused from the declared sizes and the text's shape, before
 * JSON.parse builds the tree, so memory stays bounded by the caps in
 * shared/batch-package/limits.ts. (Before that scan, a 4 MiB header of `[0,0,…]` took main about
 * 28 s and 2.5 GB to refuse, and 32 MiB of details ran it out of memory.)
 */
import type { KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_HEADER_BYTES } from '../../../shared/batch-package/limits';
import {
  assemblePackage,
  clipDetails,
  joinPackage,
  parsePackage,
  rewriteHeader,
  rewriteHeaderBytes,
  writeTestPackage,
} from '../../support/packages';
import { expectImportRefused, makeCanary, makeHostileEnv, type Canary, type HostileEnv } from './hostile-env';
import { testClipId } from '../../support/ids';

/** Nothing this long is ever handed to JSON.parse in these cases: the hostile text is never parsed. */
const SMALL_JSON = 64 * 1024;

type Case = {
  readonly name: string;
  readonly make: (file: string, canary: Canary, recipient: KeyObject) => void;
  readonly message: RegExp;
};

const deep = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;

const million = (item: (i: number) => string): string => Array.from({ length: 1_000_000 }, (_, i) => item(i)).join(',');

const good = (file: string, c: Canary, recipient: KeyObject): void => {
  writeTestPackage(file, {
    recipient,
    clips: [{ id: 'c-AAAAAAAAAAAAAAA1', audio: c.audio, durationMs: c.durationMs, asrText: c.text }],
  });
};

/** Replaces `"__HOSTILE__"` in the re-serialised header with raw JSON text. */
const headerWith = (file: string, field: (h: Record<string, unknown>) => Record<string, unknown>, raw: string): void =>
  rewriteHeaderBytes(file, (b) =>
    Buffer.from(
      JSON.stringify(field(JSON.parse(b.toString('utf8')) as Record<string, unknown>)).replace('"__HOSTILE__"', raw),
    ),
  );

const withDetailsText = (text: (c: Canary) => string) => (file: string, c: Canary, recipient: KeyObject) =>
  assemblePackage(file, { recipient, clips: [{ id: 'c-AAAAAAAAAAAAAAA1', audio: c.audio }], details: text(c) });

const detailsEntry = (c: Canary): string =>
  JSON.stringify(clipDetails({ id: 'c-AAAAAAAAAAAAAAA1', durationMs: c.durationMs, asrText: c.text }));

const cases: readonly Case[] = [
  {
    name: 'a header listing a million clips, refused by its declared length before it is read',
    make: (file, c, recipient) => {
      good(file, c, recipient);
      const p = parsePackage(file);
      const header = JSON.stringify({ ...p.header, clips: '__HOSTILE__' }).replace(
        '"__HOSTILE__"',
        `[${million((i) => `{"id":"${testClipId(i)}","audio":null}`)}]`,
      );
      writeFileSync(file, joinPackage({ ...p, headerBytes: Buffer.from(header) }));
    },
    message: new RegExp(`The header declares \\d+ bytes; the limit is ${MAX_HEADER_BYTES}\\.`),
  },
  {
    name: 'a million clips squeezed under the header cap',
    make: (file, c, recipient) => {
      good(file, c, recipient);
      headerWith(file, (h) => ({ ...h, clips: '__HOSTILE__' }), `[${million(() => '0')}]`);
    },
    message: /The header has more than 10000 entries in clips; a batch holds at most 10000 clips\./,
  },
  {
    name: 'ten thousand and one well-formed clips',
    make: (file, c, recipient) => {
      good(file, c, recipient);
      rewriteHeader(file, (h) => ({
        ...h,
        clips: Array.from({ length: 10_001 }, (_, i) => ({ id: testClipId(i), audio: null })),
      }));
    },
    message: /The header has more than 10000 entries in clips/,
  },
  {
    name: 'a million clip entries in the sealed details',
    make: withDetailsText((c) => `{"clips":[${detailsEntry(c)},${million(() => '0')}]}`),
    message: /The clip details has more than 10000 entries in clips; a batch holds at most 10000 clips\./,
  },
  {
    name: 'a header object with twenty thousand fields',
    make: (file, c, recipient) => {
      good(file, c, recipient);
      rewriteHeaderBytes(file, (b) =>
        Buffer.from(
          `{${Array.from({ length: 20_000 }, (_, i) => `"f${i}":0`).join(',')},${b.toString('utf8').slice(1)}`,
        ),
      );
    },
    message: /The header has more than 10000 entries in \(top level\)/,
  },
  {
    name: 'a header nested a million levels deep',
    make: (file, c, recipient) => {
      good(file, c, recipient);
      headerWith(file, (h) => ({ ...h, x: '__HOSTILE__' }), deep);
    },
    message: /The header nests deeper than 8 levels at x\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\[0\]\./,
  },
  {
    name: 'sealed details nested a million levels deep',
    make: withDetailsText((c) => `{"clips":[${detailsEntry(c).slice(0, -1)},"hints":{"domain":${deep}}}]}`),
    message: /The clip details nests deeper than 8 levels at clips\[0\]\.hints\.domain\[0\]\[0\]\[0\]\[0\]\./,
  },
];

describe('hostile sizes: a million clips, deep nesting', () => {
  let env: HostileEnv;
  beforeEach(() => {
    env = makeHostileEnv();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    env.dispose();
  });

  it.each(cases)('refuses $name without parsing it', async ({ make, message }) => {
    const canary = makeCanary('limits');
    const file = env.input('huge.earmark');
    make(file, canary, env.recipient());
    const parse = vi.spyOn(JSON, 'parse');
    await expectImportRefused(env, file, message, canary.needles);
    const longest = Math.max(0, ...parse.mock.calls.map(([text]) => text.length));
    expect(longest).toBeLessThan(SMALL_JSON);
  });

  it('keeps the message readable when unknown field names fill megabytes', async () => {
    const canary = makeCanary('fields');
    const file = env.input('fields.earmark');
    good(file, canary, env.recipient());
    const names = Array.from({ length: 5_000 }, (_, i) => `"unknown-${i}-${'x'.repeat(300)}":0`).join(',');
    rewriteHeaderBytes(file, (b) => Buffer.from(`{${names},${b.toString('utf8').slice(1)}`));
    const message = await expectImportRefused(
      env,
      file,
      /The header: Unrecognized keys: "unknown-0-x+/,
      canary.needles,
    );
    expect(message.length).toBeLessThan(400);
  });
});
