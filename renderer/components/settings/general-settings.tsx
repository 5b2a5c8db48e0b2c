import { useTranslation } from 'react-i18next';
import { entityTypePattern } from '../../../shared/domain/annotation';
import {
  breakRuleRanges,
  insertTagPattern,
  MAX_ENTITY_TYPES,
  MAX_INSERT_TAGS,
  numberRanges,
} from '../../../shared/settings/setting-limits';
import { PLAYBACK_RATE, prefillModes, type PrefillMode, type UiLanguage } from '../../../shared/settings/settings';
import { useAppStore } from '../../store/store-context';
import { ListSetting, NumberSetting, SelectSetting, ToggleSetting } from './setting-fields';
import { numberFormat } from '../../i18n/intl';

/** Backstep choices offered; a pinned value off this list is shown too. */
const BACKSTEP_CHOICES_MS = [0, 250, 500, 750, 1000, 1500, 2000, 2500, 3000];

/** Every rate from 0.5× to 2.0× in tenths, counted in tenths so none drifts (0.7 + 0.1). */
const RATES = Array.from(
  { length: Math.round((PLAYBACK_RATE.max - PLAYBACK_RATE.min) / PLAYBACK_RATE.step) + 1 },
  (_, i) => (PLAYBACK_RATE.min * 10 + i) / 10,
);

/** Autoplay, the backstep and the speed. */
export function PlaybackSettings() {
  const { t, i18n } = useTranslation();
  const values = useAppStore((s) => s.settings.values);
  const number = (n: number, digits: number) =>
    numberFormat(i18n.language, { minimumFractionDigits: digits, maximumFractionDigits: 2 }).format(n);
  const backsteps = BACKSTEP_CHOICES_MS.includes(values.autoBackstepMs)
    ? BACKSTEP_CHOICES_MS
    : [...BACKSTEP_CHOICES_MS, values.autoBackstepMs].sort((a, b) => a - b);
  return (
    <fieldset className="settings-group">
      <legend>{t('settings.playback.heading')}</legend>
      <ToggleSetting
        setting="autoplay"
        label={t('settings.playback.autoplay')}
        checked={values.autoplay}
        patch={(autoplay) => ({ autoplay })}
      />
      <SelectSetting
        setting="autoBackstepMs"
        label={t('settings.playback.autoBackstep')}
        value={String(values.autoBackstepMs)}
        options={backsteps.map((ms) => ({
          value: String(ms),
          label:
            ms === 0
              ? t('settings.playback.backstepOff')
              : t('settings.playback.seconds', { seconds: number(ms / 1000, 1) }),
        }))}
        patch={(v) => ({ autoBackstepMs: Number(v) })}
      />
      <SelectSetting
        setting="playbackRate"
        label={t('settings.playback.rate')}
        value={values.playbackRate.toFixed(1)}
        options={RATES.map((r) => ({
          value: r.toFixed(1),
          label: t('settings.playback.rateValue', { rate: number(r, 1) }),
        }))}
        patch={(v) => ({ playbackRate: Number(v) })}
      />
    </fieldset>
  );
}

/** The prefill, the heard-in-full gate and the tag and entity lists. */
export function ReviewingSettings() {
  const { t } = useTranslation();
  const values = useAppStore((s) => s.settings.values);
  const prefillLabel: Record<PrefillMode, string> = {
    asr: t('settings.review.prefillAsr'),
    blank: t('settings.review.prefillBlank'),
  };
  return (
    <fieldset className="settings-group">
      <legend>{t('settings.review.heading')}</legend>
      <SelectSetting
        setting="prefill"
        label={t('settings.review.prefill')}
        value={values.prefill}
        options={prefillModes.map((m) => ({ value: m, label: prefillLabel[m] }))}
        patch={(v) => ({ prefill: v as PrefillMode })}
      />
      <ToggleSetting
        setting="heardInFullGate"
        label={t('settings.review.heardInFull')}
        checked={values.heardInFullGate}
        patch={(heardInFullGate) => ({ heardInFullGate })}
      />
      <ToggleSetting
        setting="emptyTranscriptCheck"
        label={t('settings.review.emptyTranscriptCheck')}
        checked={values.emptyTranscriptCheck}
        patch={(emptyTranscriptCheck) => ({ emptyTranscriptCheck })}
      />
      <ListSetting
        setting="insertTags"
        label={t('settings.review.insertTags')}
        hint={t('settings.review.insertTagsHint')}
        items={values.insertTags}
        pattern={insertTagPattern}
        max={MAX_INSERT_TAGS}
        patch={(insertTags) => ({ insertTags })}
      />
      <ListSetting
        setting="entityTypes"
        label={t('settings.review.entityTypes')}
        hint={t('settings.review.entityTypesHint')}
        items={values.entityTypes}
        pattern={entityTypePattern}
        max={MAX_ENTITY_TYPES}
        patch={(entityTypes) => ({ entityTypes })}
      />
    </fieldset>
  );
}

/** Idle thresholds and break rules. */
export function TimeSettings() {
  const { t } = useTranslation();
  const values = useAppStore((s) => s.settings.values);
  return (
    <fieldset className="settings-group">
      <legend>{t('settings.time.heading')}</legend>
      <NumberSetting
        setting="idleSeconds"
        label={t('settings.time.idleSeconds')}
        value={values.idleSeconds}
        range={numberRanges.idleSeconds}
        patch={(idleSeconds) => ({ idleSeconds })}
      />
      <NumberSetting
        setting="idleLockMinutes"
        label={t('settings.time.idleLockMinutes')}
        value={values.idleLockMinutes}
        range={numberRanges.idleLockMinutes}
        patch={(idleLockMinutes) => ({ idleLockMinutes })}
      />
      {(['microBreakEveryMinutes', 'microBreakMinutes', 'microBreakAfterEscalations'] as const).map((rule) => (
        <NumberSetting
          key={rule}
          setting={`breaks.${rule}`}
          label={t(`settings.time.${rule}`)}
          value={values.breaks[rule]}
          range={breakRuleRanges[rule]}
          patch={(n) => ({ breaks: { [rule]: n } })}
        />
      ))}
      <ToggleSetting
        setting="breaks.breaksSkippable"
        label={t('settings.time.breaksSkippable')}
        checked={values.breaks.breaksSkippable}
        patch={(breaksSkippable) => ({ breaks: { breaksSkippable } })}
      />
    </fieldset>
  );
}

/** The UI language, among those the policy allows. */
export function LanguageSettings() {
  const { t } = useTranslation();
  const choice = useAppStore((s) => s.settings.values.uiLanguage);
  const allowed = useAppStore((s) => s.settings.values.uiLanguages);
  return (
    <fieldset className="settings-group">
      <legend>{t('settings.language.heading')}</legend>
      <SelectSetting
        setting="uiLanguage"
        label={t('settings.language.label')}
        value={choice ?? ''}
        options={[
          { value: '', label: t('settings.language.system') },
          ...allowed.map((l) => ({ value: l, label: t(`settings.languages.${l}`) })),
        ]}
        patch={(v) => ({ uiLanguage: v === '' ? null : (v as UiLanguage) })}
      />
    </fieldset>
  );
}
