/**
 * What operators set for the escalation inbox — how soon an escalation turns urgent, and the
 * referral targets supervisors may refer to — in one place for the admin CLI. Each change and
 * each refusal is audited as `admin.escalations.<setting>`.
 */
import { inboxSettingsSchema } from '../shared/sync/escalation-inbox';
import { appendAudit } from './audit';
import type { Core } from './core';
import type { Actor } from './devices';
import { HttpError } from './http';
import type { InboxSettingChange } from './store/escalation-repositories';

const actions: { readonly [K in InboxSettingChange['key']]: string } = {
  urgentAfterMs: 'admin.escalations.set-urgent-after',
  referralTargets: 'admin.escalations.set-referrals',
};

/**
 * Sets one inbox setting. Refused (400) for a value outside its schema: an urgent time of 1 min
 * to 24 h, 1–20 distinct referral targets of 1–64 characters.
 */
export async function setInboxSetting(core: Core, by: Actor, change: InboxSettingChange): Promise<void> {
  const base = { at: core.now(), actor: by.operator, source: by.source, action: actions[change.key] };
  const detail =
    change.key === 'urgentAfterMs' ? { urgentAfterMs: change.value } : { referralTargets: change.value.join(' | ') };
  const parsed = inboxSettingsSchema.shape[change.key].safeParse(change.value);
  const distinct = change.key !== 'referralTargets' || new Set(change.value).size === change.value.length;
  if (!parsed.success || !distinct) {
    await appendAudit(core.store, { ...base, outcome: 'refused', code: 'bad_request', detail });
    throw new HttpError(
      400,
      'bad_request',
      'An urgent time is 1 min to 24 h; referral targets are 1–20 distinct names of 1–64 characters.',
      {},
      true,
    );
  }
  await core.store.transaction(async (tx) => {
    await tx.escalations.setSetting(change, base.at, by.operator);
    await appendAudit(tx, { ...base, detail });
  });
}
