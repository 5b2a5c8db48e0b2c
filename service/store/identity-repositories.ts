/**
 * Who may use the service, as the store keeps it: accounts and operators, sessions bound to a
 * device key, devices and their approval, checkouts, enrolment codes and sign-in counters. The
 * same conventions as ./repositories.ts: every method returns a promise and is atomic on its own.
 */
import type { Role } from '../../shared/domain/session';
import type { ServiceDeviceState } from '../../shared/sync/protocol';

/** The roles the service knows: the app's two, and operators, who administer the service. */
export const serviceRoles = ['reviewer', 'supervisor', 'operator'] as const;
export type ServiceRole = (typeof serviceRoles)[number];

export type AccountRow = {
  readonly account: string;
  readonly pseudonym: string;
  readonly role: ServiceRole;
  readonly passwordHash: string;
  readonly totpSecret: string;
  /** The last TOTP time step used to sign in; a code of this step or earlier is refused. */
  readonly totpLastCounter: number;
  /** Approved devices the account may hold at once (operators hold none). */
  readonly maxDevices: number;
  /** When an operator disabled the account; a disabled account cannot sign in. */
  readonly disabledAt: number | null;
};

export type NewAccount = Pick<AccountRow, 'account' | 'pseudonym' | 'passwordHash' | 'totpSecret'> & {
  readonly role: Role;
  readonly maxDevices?: number;
};

export type NewOperator = Pick<AccountRow, 'account' | 'pseudonym' | 'passwordHash' | 'totpSecret'> & {
  readonly createdAt: number;
  /** The operator who created it; null for the first, made by `admin bootstrap`. */
  readonly createdBy: string | null;
};

/** The device key a session was opened with: every checkout and upload of it is for this key. */
export type SessionDevice = { readonly keyId: string; readonly signingKey: Buffer };

export type SessionRow = SessionDevice & {
  readonly account: string;
  readonly expiresAt: number;
  readonly endedAt: number | null;
  readonly opsStored: number;
};

export type NewDevice = {
  readonly keyId: string;
  readonly encryptionKey: Buffer;
  readonly signingKey: Buffer;
  readonly enrolledAt: number;
};

export type DeviceRow = NewDevice & {
  readonly account: string;
  readonly state: ServiceDeviceState;
  /** When and by whom (an operator, or `enrolment-code`) it was last approved or revoked. */
  readonly decidedAt: number | null;
  readonly decidedBy: string | null;
};
/**
 * Why an account or operator was not added: its name or pseudonym is held by an account of any
 * role already (found by the add itself, so also when another process took it a moment earlier).
 */
export class NameTakenError extends Error {
  override readonly name = 'NameTakenError';
  constructor(readonly account: string) {
    super(`The account name or pseudonym "${account}" is taken.`);
  }
}

/** Reviewer, supervisor and operator accounts. Names and pseudonyms are unique across every role. */
export type AccountRepository = {
  /** @throws {NameTakenError} when the name or pseudonym is held by an account of any role */
  add(a: NewAccount): Promise<void>;
  /** @throws {NameTakenError} when the name or pseudonym is held by an account of any role */
  addOperator(o: NewOperator): Promise<void>;
  /** An account of any role by name, or undefined. */
  find(account: string): Promise<AccountRow | undefined>;
  /** The account behind a pseudonym (results packages name their author by pseudonym). */
  byPseudonym(pseudonym: string): Promise<string | undefined>;
  /** True when an account of any role, operators included, has the pseudonym. */
  pseudonymTaken(pseudonym: string): Promise<boolean>;
  /**
   * Spends a TOTP time step: true only when it is above the last one used, decided by one
   * conditional update, so of several sign-ins racing with one code exactly one succeeds.
   */
  spendTotp(account: string, counter: number): Promise<boolean>;
  /**
   * How many operators exist. Inside a transaction it serialises with every add of a name, so a
   * count-then-add (the first operator's bootstrap) cannot run twice side by side.
   */
  operatorCount(): Promise<number>;
  /** False when there is no such reviewer or supervisor account. */
  setMaxDevices(account: string, maxDevices: number): Promise<boolean>;
  /** Disables an account of any role; false when there is none (or it was disabled already). */
  disable(account: string, at: number): Promise<boolean>;
  /**
   * Gives an account of any role a new TOTP secret (its authenticator was lost); false when there
   * is none. The last time step spent stays, so no code older than a sign-in already made works.
   */
  resetTotp(account: string, totpSecret: string): Promise<boolean>;
  /** Makes a reviewer a supervisor or back; false when there is no such reviewer or supervisor account. */
  setRole(account: string, role: Role): Promise<boolean>;
  /** Every account of every role, by name, without secrets. */
  list(): Promise<AccountSummary[]>;
};

/** An account as an operator lists it: no password hash, no TOTP secret. */
export type AccountSummary = Pick<AccountRow, 'account' | 'pseudonym' | 'role' | 'maxDevices' | 'disabledAt'>;

/** Bearer-token sessions, known only by the token's hash, each bound to one device key. */
export type SessionRepository = {
  add(
    tokenHash: Buffer,
    s: { account: string; device: SessionDevice; createdAt: number; expiresAt: number },
  ): Promise<void>;
  find(tokenHash: Buffer): Promise<SessionRow | undefined>;
  /** Ends a session; a session already ended keeps its first end time. */
  end(tokenHash: Buffer, now: number): Promise<void>;
  /** Brings the expiry forward to `at` (never later than it was). */
  expire(tokenHash: Buffer, at: number): Promise<void>;
  /** Adds `n` to the ops the session has stored. */
  countOps(tokenHash: Buffer, n: number): Promise<void>;
  /** Ends every open session of an account (it was disabled). */
  endAllOf(account: string, now: number): Promise<void>;
};

/** A bearer token's session as one read finds it, with what every authenticated request checks. */
export type CallerRow = {
  readonly session: SessionRow;
  /** The session's account (operators included); undefined when it is gone. */
  readonly account: AccountRow | undefined;
  /** Whether the account has enrolled the session's device key, in any state. */
  readonly deviceEnrolled: boolean;
};

/**
 * The caller of an authenticated request, read in one go: every such request needs its session
 * and account, and every upload the enrolment of its device, so the store answers all three at
 * once rather than in a round trip each.
 */
export type CallerRepository = {
  /** The session stored under `tokenHash` with its account and device enrolment; undefined when none. */
  find(tokenHash: Buffer): Promise<CallerRow | undefined>;
};

/** Devices enrolled per account: their keys and whether an operator let them have packages. */
export type DeviceRepository = {
  /** Enrols a device as pending unless this key id is enrolled already; returns the enrolment as stored. */
  enrol(account: string, d: NewDevice): Promise<DeviceRow>;
  find(account: string, keyId: string): Promise<DeviceRow | undefined>;
  /** Devices, newest enrolment first, optionally of one account or state. */
  list(q: { readonly account?: string; readonly state?: ServiceDeviceState }): Promise<DeviceRow[]>;
  /** Moves a device to `state` unless it is in it already (a revoked device stays revoked); true when it moved. */
  decide(account: string, keyId: string, state: 'approved' | 'revoked', at: number, by: string): Promise<boolean>;
  approvedCount(account: string): Promise<number>;
  /**
   * The account's devices waiting for approval. Like {@link approvedCount}, in a unit of work it
   * makes enrolments and approvals of one account take turns (PostgreSQL: an advisory lock).
   */
  pendingCount(account: string): Promise<number>;
};

/** How a device's checkout of a batch ended: handed over by the device, or moved by an operator. */
export type ReleaseKind = 'handed_over' | 'forced';

/** One device's checkout of one batch. */
export type CheckoutRow = {
  readonly account: string;
  readonly keyId: string;
  readonly batchId: string;
  readonly at: number;
  readonly revokedAt: number | null;
  readonly releasedAt: number | null;
  readonly releaseKind: ReleaseKind | null;
};

/**
 * Which device took which batch; revoking a device revokes its checkouts. A batch has at most
 * one holder: a checkout neither released nor revoked.
 */
export type CheckoutRepository = {
  /** Records a checkout (again): the device becomes the batch's holder and any earlier release of it is forgotten. */
  record(account: string, keyId: string, batchId: string, at: number): Promise<void>;
  /** The batch's current holder, if any. */
  holder(batchId: string): Promise<CheckoutRow | undefined>;
  /** One device's checkout of a batch, current or ended. */
  find(account: string, keyId: string, batchId: string): Promise<CheckoutRow | undefined>;
  /**
   * Ends the holder's checkout (of `keyId` only, when given): the batch is free for another
   * device. Returns the checkout that ended, or undefined when there was none to end.
   */
  release(
    batchId: string,
    r: { readonly keyId?: string; readonly at: number; readonly kind: ReleaseKind; readonly by: string },
  ): Promise<CheckoutRow | undefined>;
  /** Marks every checkout of a device revoked; returns the batch ids. */
  revokeAllOf(account: string, keyId: string, at: number): Promise<string[]>;
  /** The batch ids of a device's revoked checkouts. */
  revokedOf(account: string, keyId: string): Promise<string[]>;
};

/** One-time enrolment codes, stored as their SHA-256 only, and the attempts made with them. */
export type EnrolmentCodeRepository = {
  add(c: {
    readonly codeHash: Buffer;
    readonly account: string;
    readonly issuedBy: string;
    readonly issuedAt: number;
    readonly expiresAt: number;
  }): Promise<void>;
  /**
   * Spends a code for `account` if it is theirs, unused and unexpired: one conditional update,
   * so a code works once however many requests race with it.
   */
  redeem(codeHash: Buffer, account: string, now: number, usedBy: string): Promise<boolean>;
  recordAttempt(account: string, at: number): Promise<void>;
  attemptsSince(account: string, since: number): Promise<number>;
};

/** What sign-in spends and counts: challenges and failures, by name as typed and source. */
export type SignInRepository = {
  /**
   * Spends a challenge the service issued (service/sign-in-challenge.ts; issuing one stores
   * nothing): true the first time, false when it was spent before. Spent challenges that expired
   * before `forgetBefore` are dropped first (no process takes them any more).
   */
  spendChallenge(challengeHash: Buffer, expiresAt: number, forgetBefore: number): Promise<boolean>;
  /** Counts a failure (before the credentials are checked); returns its id. */
  addFailure(name: string, source: string, at: number): Promise<number>;
  /** Takes back the failure counted for an attempt that succeeded, and the pair's earlier ones. */
  clearPair(name: string, source: string): Promise<void>;
  /** Failure times, oldest first: of the pair (all kept), of a source or of a name since `since`. */
  pairFailures(name: string, source: string): Promise<number[]>;
  sourceFailuresSince(source: string, since: number): Promise<number[]>;
  nameFailuresSince(name: string, since: number): Promise<number[]>;
  /** Forgets failures older than `before`. */
  prune(before: number): Promise<void>;
};
