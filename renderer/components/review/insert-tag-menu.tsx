import { useEffect, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_TRANSCRIPT_CHARS } from '../../../shared/domain/annotation';
import { DIRECT_TAG_CHORDS } from '../../review/insert-tag-commands';
import { useReview } from '../../review/review-context';
import { useAppStore } from '../../store/store-context';
import { numberFormat } from '../../i18n/intl';

/** The menu's number keys, by physical key so they are the same keys on every layout (AZERTY's digit row types "&é"…). */
function digitOf(code: string): number | null {
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(code);
  return match ? Number(match[1]) : null;
}

/**
 * The tags of the `insertTags` setting, in order, in a small menu under the transcript box. Number
 * keys 1–9 insert a tag at once; the arrows, Home and End choose and Enter inserts; Escape (or
 * Tab) goes back to the text with the caret as it was. Opened by a hotkey while typing; the
 * focus moves into the menu meanwhile, so nothing is typed into the transcript.
 */
export function InsertTagMenu() {
  const open = useAppStore((s) => s.review.panel === 'insertTag');
  return open ? <TagMenuList /> : null;
}

function TagMenuList() {
  const { t, i18n } = useTranslation();
  const { flow, keys } = useReview();
  const tags = useAppStore((s) => s.settings.values.insertTags);
  const [chosen, setChosen] = useState(0);
  const [full, setFull] = useState(false);
  const items = useRef<(HTMLButtonElement | null)[]>([]);
  // The list can change under the menu (the settings screen); the choice stays within it.
  const active = Math.min(chosen, tags.length - 1);

  useEffect(() => {
    items.current[active]?.focus();
  }, [active]);

  const insert = (index: number): void => {
    const tag = tags[index];
    if (tag !== undefined) {
      setFull(flow.insertion.insertTag(tag) === 'tooLong');
    }
  };
  const move = (to: number): void => setChosen((to + tags.length) % tags.length);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const digit = e.ctrlKey || e.altKey || e.metaKey ? null : digitOf(e.code);
    const keysDone: Readonly<Record<string, () => void>> = {
      ArrowDown: () => move(active + 1),
      ArrowUp: () => move(active - 1),
      Home: () => move(0),
      End: () => move(tags.length - 1),
      Enter: () => insert(active),
      Escape: () => flow.insertion.closeInsertMenu(true),
      Tab: () => flow.insertion.closeInsertMenu(true),
    };
    const action = digit !== null ? () => insert(digit - 1) : keysDone[e.key];
    if (action) {
      e.preventDefault();
      e.stopPropagation();
      action();
    }
  };

  // A click back into the text closes the menu and leaves the caret where the click put it.
  const onBlur = (e: FocusEvent<HTMLDivElement>): void => {
    if (e.relatedTarget instanceof HTMLTextAreaElement && e.relatedTarget.id === 'transcript') {
      flow.insertion.closeInsertMenu(false);
    }
  };

  return (
    <div className="insert-tag-menu" data-testid="insert-tag-menu">
      <p id="insert-tag-title" className="insert-tag-title">
        {t('insertTags.menu.title')}
      </p>
      <div
        role="menu"
        aria-labelledby="insert-tag-title"
        aria-describedby="insert-tag-hint"
        onKeyDown={onKeyDown}
        onBlur={onBlur}
      >
        {tags.map((tag, i) => (
          <button
            key={tag}
            ref={(el) => {
              items.current[i] = el;
            }}
            type="button"
            role="menuitem"
            tabIndex={i === active ? 0 : -1}
            aria-keyshortcuts={i < 9 ? String(i + 1) : undefined}
            data-tag={tag}
            onClick={() => insert(i)}
          >
            {i < 9 && <kbd aria-hidden="true">{i + 1}</kbd>} <bdi>{tag}</bdi>{' '}
            {i < DIRECT_TAG_CHORDS && (
              <span className="hint" aria-hidden="true">
                {keys(`review.insertTag.${i + 1}`)}
              </span>
            )}
          </button>
        ))}
      </div>
      <p id="insert-tag-hint" className="hint">
        {t('insertTags.menu.hint')}
      </p>
      {full && (
        <p role="alert" className="insert-tag-full">
          {t('insertTags.menu.full', { max: numberFormat(i18n.language).format(MAX_TRANSCRIPT_CHARS) })}
        </p>
      )}
    </div>
  );
}
