import { randomBytes } from 'node:crypto';
import type { SessionInfo } from '../../shared/domain/session';
import type { SettingsRepository } from '../db/repositories/settings.repository';

const PSEUDONYM_KEY = 'demo.pseudonym';

/**
 * Who is reviewing. With no annotation service configured the app runs in demo mode under a
 * pseudonym made once per workstation and kept, so watermarks and reports stay consistent.
 */
export function createSessionService(settings: SettingsRepository) {
  const pseudonym = (): string => {
    const saved = settings.get(PSEUDONYM_KEY);
    if (saved) {
      return saved;
    }
    const made = `demo-${randomBytes(3).toString('hex')}`;
    settings.set(PSEUDONYM_KEY, made);
    return made;
  };
  return {
    get: (): SessionInfo => ({ identity: { pseudonym: pseudonym(), role: 'reviewer' }, mode: 'demo' }),
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
