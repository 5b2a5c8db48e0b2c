/**
 * How many refused requests one caller writes to the audit trail. Every refusal of an audited
 * route is a row, so a reviewer's own session sending bad requests in a loop (or anyone, on a
 * route that needs none) could grow the trail without end. Each service process gives a caller
 * (its account, or its source address where no session was found) REFUSAL_AUDITS_PER_WINDOW rows
 * per window. Past them, the first refusal of each kind (route and code) writes one row saying so
 * (`audit_throttled`, with the code it stands for), so a loop of cheap bad requests cannot hide a
 * different refusal that follows it (an operator route probed, a clip refused); the rest of that
 * window's refusals are still answered, and counted in the service log and metrics, but write no
 * row. Nothing is refused because of the budget.
 */

export const REFUSAL_AUDITS_PER_WINDOW = 100;
export const REFUSAL_AUDIT_WINDOW_MS = 10 * 60 * 1000;
/**
 * Source addresses counted apart in one window. Past this many (addresses by the thousand), the
 * rest share one count, so the budget's own memory stays bounded too. Accounts are always counted
 * apart: there are only as many as operators made, and addresses an anonymous caller can spend by
 * the thousand (an IPv6 prefix holds billions) must not push a signed-in caller into a count
 * that caller has already used up.
 */
export const REFUSAL_AUDIT_KEYS = 10_000;
const SHARED_KEY = '*';

/** A signed-in caller by account, or one without a session by source address. */
export type RefusalCaller = { readonly account: string } | { readonly source: string };

/**
 * `write`: record the refusal; `note`: record that this caller's refusals of this kind are no
 * longer recorded; `skip`: record nothing.
 */
export type RefusalAuditVerdict = 'write' | 'note' | 'skip';

export type RefusalAuditBudget = {
  /** `kind` names the refusal (its audit action and code); there are as many as routes and codes. */
  take(caller: RefusalCaller, now: number, kind: string): RefusalAuditVerdict;
};

export function createRefusalAuditBudget(
  o: { readonly limit?: number; readonly windowMs?: number; readonly keys?: number } = {},
): RefusalAuditBudget {
  const limit = o.limit ?? REFUSAL_AUDITS_PER_WINDOW;
  const windowMs = o.windowMs ?? REFUSAL_AUDIT_WINDOW_MS;
  const maxSources = o.keys ?? REFUSAL_AUDIT_KEYS;
  let window = Number.NaN;
  const counts = new Map<string, { n: number; readonly noted: Set<string> }>();
  let sources = 0;
  const keyOf = (caller: RefusalCaller): string => {
    if ('account' in caller) {
      return `account ${caller.account}`;
    }
    const key = `source ${caller.source}`;
    if (counts.has(key)) {
      return key;
    }
    if (sources < maxSources) {
      sources += 1;
      return key;
    }
    return SHARED_KEY;
  };
  return {
    take(caller, now, kind) {
      const w = Math.floor(now / windowMs);
      if (w !== window) {
        window = w;
        counts.clear();
        sources = 0;
      }
      const key = keyOf(caller);
      const count = counts.get(key) ?? { n: 0, noted: new Set<string>() };
      counts.set(key, count);
      count.n += 1;
      if (count.n <= limit) {
        return 'write';
      }
      if (count.noted.has(kind)) {
        return 'skip';
      }
      count.noted.add(kind);
      return 'note';
    },
  };
}
