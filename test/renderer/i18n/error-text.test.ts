import { describe, expect, it } from 'vitest';
import { createI18n, resources, uiLanguages } from '../../../renderer/i18n';
import { errorKeys, errorText, formatWait } from '../../../renderer/i18n/error-text';
import { appError, errorCodes, type AppError, type PackageRefusal } from '../../../shared/result';

/** The message at a dotted key of a locale, or undefined when it has none. */
function messageAt(messages: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined),
      messages,
    );
}

const ENGLISH_FROM_MAIN = 'An English line from main that no screen may show.';

describe('error texts', () => {
  it.each(uiLanguages)('%s says every error code in its own words', (language) => {
    for (const code of errorCodes) {
      const text = messageAt(resources[language].translation, errorKeys[code]);
      expect(typeof text, `${language} ${code}`).toBe('string');
      expect(String(text).trim(), `${language} ${code}`).not.toBe('');
    }
  });

  it('shows the text for the code, never the message from main', async () => {
    const i18n = await createI18n('en');
    for (const code of errorCodes) {
      const text = errorText(i18n.t, 'en', appError(code, ENGLISH_FROM_MAIN));
      expect(text, code).not.toContain(ENGLISH_FROM_MAIN);
      expect(text, code).toBe(i18n.t(errorKeys[code]));
    }
  });

  it('tells a wrong PIN, a locked app and a pinned setting apart', async () => {
    const i18n = await createI18n('en');
    const say = (error: AppError): string => errorText(i18n.t, 'en', error);
    expect(say(appError('WRONG_SECRET', ENGLISH_FROM_MAIN))).toBe('That password or PIN is not right.');
    expect(say(appError('LOCKED', ENGLISH_FROM_MAIN))).toBe('Earmark is locked: unlock it to carry on.');
    expect(say(appError('POLICY_PINNED', ENGLISH_FROM_MAIN))).toBe(
      'Your administrator has set this; it cannot be changed here.',
    );
    expect(say(appError('FORBIDDEN_ROLE', ENGLISH_FROM_MAIN))).toBe('Only a supervisor can do this.');
  });

  it('says a wait in the reviewer language, with its plural forms', async () => {
    const es = await createI18n('es');
    const ro = await createI18n('ro');
    const limited = appError('RATE_LIMITED', ENGLISH_FROM_MAIN, { retryAfterSeconds: 1 });
    expect(errorText(es.t, 'es', limited)).toBe('Demasiados intentos. Vuelve a intentarlo dentro de 1 segundo.');
    expect(errorText(ro.t, 'ro', appError('RATE_LIMITED', ENGLISH_FROM_MAIN, { retryAfterSeconds: 20 }))).toBe(
      'Prea multe încercări. Încearcă din nou peste 20 de secunde.',
    );
    expect(formatWait('en', 90)).toBe('90 seconds');
    expect(formatWait('en', 121)).toBe('3 minutes');
    expect(formatWait('es', 300)).toBe('5 minutos');
  });

  it.each<[PackageRefusal, string]>([
    [{ reason: 'expired', expiresAt: '2026-03-01T12:00:00.000Z' }, 'el lote caducó el 1 de marzo de 2026.'],
    [
      { reason: 'already_imported', batchId: 'b-AAAAAAAAAAAAAA42' },
      'el lote b-AAAAAAAAAAAAAA42 ya está en este puesto de trabajo.',
    ],
    [{ reason: 'other_workstation' }, 'se preparó para otro puesto de trabajo.'],
    [{ reason: 'not_a_package' }, 'el archivo no es un paquete de lote de Earmark.'],
    [{ reason: 'invalid' }, 'está dañado o se ha alterado, y no se puede usar.'],
    [
      { reason: 'not_assigned', batchId: 'b-AAAAAAAAAAAA0001' },
      'el servicio no te asigna el lote b-AAAAAAAAAAAA0001, así que la próxima sincronización lo retiraría.',
    ],
    [
      { reason: 'held_elsewhere', batchId: 'b-AAAAAAAAAAAA0001' },
      'el lote b-AAAAAAAAAAAA0001 está en otro puesto de trabajo, así que la próxima sincronización lo retiraría.',
    ],
    [
      { reason: 'assigned_elsewhere', batchId: 'b-AAAAAAAAAAAA0001' },
      'el lote b-AAAAAAAAAAAA0001 está asignado a otro revisor, así que la próxima sincronización lo retiraría.',
    ],
    [
      { reason: 'held_for_another_reviewer', batchId: 'b-AAAAAAAAAAAA0001' },
      'este puesto de trabajo guarda el lote b-AAAAAAAAAAAA0001 para otro revisor. Si ahora es tuyo, sincroniza con conexión y pasará a ti.',
    ],
    [
      { reason: 'no_assignment', batchId: 'b-AAAAAAAAAAAA0001' },
      'no indica de quién es el lote b-AAAAAAAAAAAA0001 y no se puede consultar al servicio sin conexión. Impórtalo cuando tengas conexión.',
    ],
    [{ reason: 'sign_in_first' }, 'inicia sesión primero para que Earmark sepa qué lotes son tuyos.'],
  ])('says why a package was refused (%j) in Spanish', async (refusal, ending) => {
    const es = await createI18n('es');
    const text = errorText(es.t, 'es', appError('PACKAGE_REFUSED', ENGLISH_FROM_MAIN, refusal));
    expect(text).toBe(`Se ha rechazado el paquete de lote: ${ending}`);
  });
});
