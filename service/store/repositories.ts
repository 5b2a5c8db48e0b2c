/**
 * What the reference service keeps, as one repository per aggregate, whatever the database. Every
 * method returns a promise so a networked backend fits the same shape as the embedded one; each
 * call is atomic on its own, and {@link ServiceStore.transaction} commits several together.
 *
 * The promises the protocol makes hold for every backend: a stored op is permanent, its id is
 * unique forever (the same id with the same payload is a duplicate, with another payload a
 * conflict), and every bulk upload commits as one transaction.
 */
import type { PackedClipDetails } from '../../shared/batch-package/manifest';
import type { Role } from '../../shared/domain/session';
import type { OpResult, TimingRecord } from '../../shared/sync/messages';
import type { OpKind, ServiceDeviceState } from '../../shared/sync/protocol';

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

export type ServiceBatch = {
  readonly batchId: string;
  readonly assignedTo: string;
  readonly locale: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly revokedAt: number | null;
  readonly clipCount: number;
};

export type NewBatch = Omit<ServiceBatch, 'revokedAt' | 'clipCount'> & { readonly clips: readonly ServiceClip[] };

export type ServiceClip = { readonly details: PackedClipDetails; readonly audio: Buffer | null };

/** An op ready to store: its payload as received, and the checks only the caller can make. */
export type IncomingOp = {
  readonly opId: string;
  readonly payload: unknown;
  /** For annotations: the clip revision this op sets. */
  readonly revision?: { readonly batchId: string; readonly clipId: string; readonly revision: number };
  /** A reason to refuse the op (unknown batch or clip), or null when it may be stored. */
  readonly refusal: string | null;
};

export type OpSource = 'online' | 'results_package';

export type CurrentAnnotation = {
  readonly batchId: string;
  readonly clipId: string;
  readonly revision: number;
  readonly opId: string;
  /** The op as stored: its canonical JSON. */
  readonly payload: string;
};

/** Reviewer, supervisor and operator accounts. Names are unique across every role. */
export type AccountRepository = {
  add(a: NewAccount): Promise<void>;
  addOperator(o: NewOperator): Promise<void>;
  /** An account of any role by name, or undefined. */
  find(account: string): Promise<AccountRow | undefined>;
  /** The account behind a pseudonym (results packages name their author by pseudonym). */
  byPseudonym(pseudonym: string): Promise<string | undefined>;
  /**
   * Spends a TOTP time step: true only when it is above the last one used, decided by one
   * conditional update, so of several sign-ins racing with one code exactly one succeeds.
   */
  spendTotp(account: string, counter: number): Promise<boolean>;
  operatorCount(): Promise<number>;
  /** False when there is no such reviewer or supervisor account. */
  setMaxDevices(account: string, maxDevices: number): Promise<boolean>;
  /** Disables an account of any role; false when there is none (or it was disabled already). */
  disable(account: string, at: number): Promise<boolean>;
};

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
};

/** Which device took which batch; revoking a device revokes its checkouts. */
export type CheckoutRepository = {
  record(account: string, keyId: string, batchId: string, at: number): Promise<void>;
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
  addChallenge(challengeHash: Buffer, expiresAt: number, now: number): Promise<void>;
  /** Spends a challenge: true once, and only before it expires. */
  spendChallenge(challengeHash: Buffer, now: number): Promise<boolean>;
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

/** Batches and their clips, as the service issues them. */
export type BatchRepository = {
  /** Adds a batch and its clips atomically. */
  add(b: NewBatch): Promise<void>;
  find(batchId: string): Promise<ServiceBatch | undefined>;
  /** An account's batches, oldest first. */
  assignedTo(account: string): Promise<ServiceBatch[]>;
  /** A batch's clips in batch order. */
  clips(batchId: string): Promise<ServiceClip[]>;
  hasClip(batchId: string, clipId: string): Promise<boolean>;
  /** Revokes a batch (the first revocation time stays); false when there is no such batch. */
  revoke(batchId: string, now: number): Promise<boolean>;
  /**
   * Erases a clip whose consent was withdrawn: its audio goes and its details become its id and
   * the withdrawn mark. False when the batch has no such clip. Doing it again changes nothing.
   */
  withdrawClip(batchId: string, clipId: string): Promise<boolean>;
  /** Whether the clip's consent is withdrawn. */
  isWithdrawn(batchId: string, clipId: string): Promise<boolean>;
  /** The ids of a batch's withdrawn clips, in batch order. */
  withdrawnClips(batchId: string): Promise<string[]>;
};

/**
 * Where ops land, deduplicated for good: an op id is stored once, with the hash of its canonical
 * payload. The same id with the same payload gets the stored result back; with a different
 * payload (or kind, or from another account) it is a conflict and nothing changes. For
 * annotations, the highest revision of each clip is its current row.
 */
export type OpRepository = {
  /** Applies ops in order, all atomically, and returns one result per op. */
  apply(kind: OpKind, account: string, ops: readonly IncomingOp[], now: number, source?: OpSource): Promise<OpResult[]>;
  /**
   * Erases what the ops of one clip say (annotations and escalations), for a withdrawn clip: each
   * row keeps its op id, kind, account, time and payload hash, so a retry of the same op is still
   * a duplicate, but its payload becomes `{ batchId, clipId, opId, withdrawn: true }`; the clip
   * has no current annotation any more. The only change ever made to a stored op.
   */
  eraseClip(batchId: string, clipId: string): Promise<{ annotations: number; escalations: number }>;
  /** The current (latest) annotation of every clip of a batch that has one, by clip id. */
  current(batchId: string): Promise<CurrentAnnotation[]>;
  count(kind: OpKind): Promise<number>;
};

/** Timing and shift records, deduplicated by (account, record id). */
export type TimingRepository = {
  /** Stores the new records atomically; returns every id, new or already held. */
  add(account: string, records: readonly TimingRecord[], now: number): Promise<string[]>;
  count(account: string): Promise<number>;
};

/** The service's own X25519 key pair, which offline results packages are encrypted for. */
export type ServiceKeyRepository = {
  /** The oldest key's private PEM, or undefined before the first key is stored. */
  oldest(): Promise<string | undefined>;
  add(keyId: string, privatePem: string, createdAt: number): Promise<void>;
};

/** What an audit row records; `detail` holds ids, codes and counts only, never clip content. */
export type AuditEvent = {
  readonly at: number;
  /** Who acted: an account name, or null when nobody was identified (a refused sign-in). */
  readonly actor: string | null;
  /** Where from: the peer address for HTTP, `cli` for the admin CLI on the service host. */
  readonly source: string;
  /** What was attempted, as a dotted name: `device.enrol`, `batch.checkout`, `admin.devices.approve`. */
  readonly action: string;
  readonly outcome: 'ok' | 'refused';
  /** The error code of a refusal; null when it went through. */
  readonly code: string | null;
  /** What it was done to: a key id, batch id, clip id or account; null when nothing in particular. */
  readonly subject: string | null;
  readonly detail: Readonly<Record<string, string | number | boolean | null>>;
};

export type AuditRow = AuditEvent & { readonly seq: number };

/** The service's append-only audit trail. */
export type AuditRepository = {
  append(e: AuditEvent): Promise<void>;
  /** Rows after `afterSeq`, oldest first, at most `limit`; optionally of one action only. */
  list(q: { readonly afterSeq: number; readonly limit: number; readonly action?: string }): Promise<AuditRow[]>;
};

/** Every repository, as the store hands them out and as a unit of work sees them. */
export type Repositories = {
  readonly accounts: AccountRepository;
  readonly sessions: SessionRepository;
  readonly devices: DeviceRepository;
  readonly batches: BatchRepository;
  readonly ops: OpRepository;
  readonly timing: TimingRepository;
  readonly serviceKeys: ServiceKeyRepository;
  readonly audit: AuditRepository;
  readonly checkouts: CheckoutRepository;
  readonly enrolmentCodes: EnrolmentCodeRepository;
  readonly signIns: SignInRepository;
};

/**
 * The service's store: the repositories, each call committed on its own, and units of work that
 * commit several calls together.
 */
export type ServiceStore = Repositories & {
  /**
   * Runs `work` as one unit of work: everything it does through the `tx` repositories it is given
   * commits together when its promise resolves, and none of it when it rejects (the rejection
   * is passed on). Concurrent units of work, and calls on the store itself, never see a unit's
   * writes before it commits.
   *
   * Inside `work`, use only `tx`: a call on the store itself waits for the unit to end, so it
   * would wait forever. Keep units short and free of other slow I/O; a backend may hold a write
   * lock for their whole length. `tx` stops working once the unit has ended.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * Moves everything committed out of any write-ahead log into the database proper and empties
   * the log, so content just erased leaves no older copy behind there. Best effort while other
   * connections read.
   */
  checkpoint(): Promise<void>;
  /** Waits for the unit of work in progress, if any, then closes the store. */
  close(): Promise<void>;
};
