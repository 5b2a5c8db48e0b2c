import { describe, expect, it } from 'vitest';
import { insertTagPattern } from '../../../shared/settings/setting-limits';
import { defaultInsertTags } from '../../../shared/settings/settings';
import { alignWords } from '../../../shared/wer/align';
import { normaliseWords } from '../../../shared/wer/normalise';

/** Tags a reviewer or an admin may put in the `insertTags` setting, in several scripts. */
const configurable = [
  ...defaultInsertTags,
  '[cough]',
  '[risa-fuerte]',
  '[tuse]',
  '[ruido_2]',
  '[шум]',
  '[ضجيج]',
  '[雑音]',
];

describe('tags inserted while typing, in word error rate', () => {
  it('scores no tag the setting accepts as a word', () => {
    for (const tag of configurable) {
      expect(insertTagPattern.test(tag), tag).toBe(true);
      expect(normaliseWords(tag), tag).toEqual([]);
      expect(normaliseWords(`turn on ${tag} the light`), tag).toEqual(['turn', 'on', 'the', 'light']);
    }
  });

  it('leaves a transcript’s WER against the hypothesis as it was without its tags', () => {
    const hypothesis = 'turn of the lights';
    const plain = alignWords(normaliseWords('turn off the light'), normaliseWords(hypothesis));
    const tagged = alignWords(normaliseWords('[noise] turn off [tv] the light [laughter]'), normaliseWords(hypothesis));

    expect(tagged).toEqual(plain);
    expect(tagged.wer).toBe(0.5);
  });
});
