/**
 * What stops a submit before it goes out, as the notice that says why; null when nothing does.
 * An empty "transcribed" is most often a silent clip given the wrong disposition: the first
 * submit asks, a second one (the notice still showing) confirms.
 */
import type { Settings } from '../../shared/settings/settings';
import type { AppState } from '../store';

export function submitGuard(
  s: AppState['review'],
  settings: Pick<Settings, 'heardInFullGate' | 'emptyTranscriptCheck'>,
): 'notHeard' | 'emptyTranscript' | null {
  if (settings.heardInFullGate && !s.heardInFull) {
    return 'notHeard';
  }
  const emptyTranscribed = s.disposition === 'transcribed' && s.body.transcript.trim() === '';
  return settings.emptyTranscriptCheck && emptyTranscribed && s.notice !== 'emptyTranscript' ? 'emptyTranscript' : null;
}
