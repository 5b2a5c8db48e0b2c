import { useEffect } from 'react';
import type { CommandRegistry } from './registry';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) {
    return false;
  }
  return target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement;
}

/** Routes window keydowns to the registry; a handled key does nothing else (no typing, no default). */
export function useHotkeys(registry: CommandRegistry): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent): void => {
      if (e.isComposing || e.repeat) {
        return;
      }
      if (registry.handle(e, { typing: isTyping(e.target) })) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => window.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [registry]);
}
