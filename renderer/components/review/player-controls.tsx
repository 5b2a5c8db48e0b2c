import { memo, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatClock, LONG_SKIP_MS, SHORT_SKIP_MS } from '../../audio/playback-math';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';
import { Waveform } from './waveform';
import { numberFormat } from '../../i18n/intl';

/** Clicking a control must not pull the focus out of the transcript box. */
const keepFocus = (e: MouseEvent): void => e.preventDefault();

function Control({
  label,
  keys,
  onPress,
  children,
}: {
  label: string;
  keys: string;
  onPress: () => void;
  children?: ReactNode;
}) {
  return (
    <button
      type="button"
      aria-label={label}
      title={`${label} (${keys})`}
      aria-keyshortcuts={keys}
      onMouseDown={keepFocus}
      onClick={onPress}
    >
      {children ?? label}
    </button>
  );
}

/**
 * Where the playhead is: the only part of the player that changes ten times a second. The
 * engine may report a little past the end; the readout never passes the clip's length.
 */
function Clock() {
  const { t } = useTranslation();
  const position = useAppStore((s) => s.player.positionMs);
  const duration = useAppStore((s) => s.review.clip?.durationMs ?? 0);
  return (
    <span className="clock" data-testid="position">
      {t('player.position', { position: formatClock(Math.min(position, duration)), duration: formatClock(duration) })}
    </span>
  );
}

/** Play or pause: the one button whose name follows the playing state. */
function PlayToggle() {
  const { t } = useTranslation();
  const { flow, keys } = useReview();
  const playing = useAppStore((s) => s.player.playing);
  return (
    <Control
      label={playing ? t('player.pause') : t('player.play')}
      keys={keys('player.toggle')}
      onPress={() => flow.player.togglePlay()}
    />
  );
}

/**
 * The buttons, the rate and the waveform. Memoised without props: a clip switch flips the
 * playing state twice (stopped, then playing), and each flip would otherwise re-render and
 * re-translate every button; now only the toggle, the readouts and the waveform follow it.
 */
const PlayerBody = memo(function PlayerBody() {
  const { t, i18n } = useTranslation();
  const { flow, keys } = useReview();
  const rate = useAppStore((s) => s.player.rate);
  return (
    <>
      <div className="controls">
        <Control label={t('player.replay')} keys={keys('player.replay')} onPress={() => flow.player.replay()} />
        <Control
          label={t('player.back3')}
          keys={keys('player.back3')}
          onPress={() => flow.player.skip(-LONG_SKIP_MS)}
        />
        <Control
          label={t('player.back1')}
          keys={keys('player.back1')}
          onPress={() => flow.player.skip(-SHORT_SKIP_MS)}
        />
        <PlayToggle />
        <Control
          label={t('player.forward3')}
          keys={keys('player.forward3')}
          onPress={() => flow.player.skip(LONG_SKIP_MS)}
        />
        <Control label={t('player.slower')} keys={keys('player.slower')} onPress={() => flow.player.stepRate(-1)} />
        <output className="rate" data-testid="rate">
          {t('player.rate', { rate: numberFormat(i18n.language, { minimumFractionDigits: 1 }).format(rate) })}
        </output>
        <Control label={t('player.faster')} keys={keys('player.faster')} onPress={() => flow.player.stepRate(1)} />
        <Clock />
      </div>
      <Waveform />
    </>
  );
});

/**
 * The player: buttons with accessible names, a position readout and the waveform. There is no
 * native media element on the page (so no native controls, no "save audio as"), the context
 * menu is suppressed and nothing can be dragged out.
 */
export function PlayerControls() {
  const { t } = useTranslation();
  const playing = useAppStore((s) => s.player.playing);

  return (
    <div
      className="player"
      role="group"
      aria-label={t('player.label')}
      data-playing={playing}
      onContextMenu={(e) => e.preventDefault()}
      onDragStart={(e) => e.preventDefault()}
    >
      <PlayerBody />
    </div>
  );
}
