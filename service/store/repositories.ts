/**
 * What the reference service keeps, as one repository per aggregate, whatever the database. Every
 * method returns a promise so a networked backend fits the same shape as the embedded one; each
 * call is atomic on its own, and {@link ServiceStore.transaction} commits several together.
 *
 * The promises the protocol makes hold for every backend: a stored op is permanent, its id is
 * unique forever (the same id with the same payload is a duplicate, with another payload a
 * conflict), and every bulk upload commits as one transaction.
 */
import type { OpRefusalCode, OpResult, TimingRecord } from '../../shared/sync/messages';
import type { TimingRecordKind } from '../../shared/sync/timing-records';
import type { OpKind } from '../../shared/sync/protocol';
import type { GoldRepository } from './gold-repository';
import type { FaultRepository } from './fault-repository';
import type { UploadSlotRepository } from './upload-slot-repository';
import type { AuditRepository } from './audit-repository';
import type { EscalationMark } from '../../shared/domain/timing';
import type {
  AccountRepository,
  CallerRepository,
  CheckoutRepository,
  DeviceRepository,
  EnrolmentCodeRepository,
  SessionRepository,
  SignInRepository,
} from './identity-repositories';
import type { EscalationRepository } from './escalation-repositories';
import type { HearingRepository } from './hearing-repositories';
import type { TeamRepository } from './team-repositories';
import type { BatchRepository, OpCheckRepository } from './batch-repositories';

// Identity types live beside this file; importers keep finding every repository type here.
export type {
  ServiceRole,
  AccountRow,
  AccountSummary,
  NewAccount,
  NewOperator,
  SessionDevice,
  SessionRow,
  CallerRow,
  CallerRepository,
  NewDevice,
  DeviceRow,
  AccountRepository,
  SessionRepository,
  DeviceRepository,
  CheckoutRepository,
  CheckoutRow,
  ReleaseKind,
  EnrolmentCodeRepository,
  SignInRepository,
} from './identity-repositories';
export { NameTakenError, serviceRoles } from './identity-repositories';
export { teamRoles, type TeamMember, type TeamRepository, type TeamRole, type TeamRow } from './team-repositories';
export type { EscalationRepository, EscalationResponseRow, EscalationRow } from './escalation-repositories';
export type {
  BatchRepository,
  NewBatch,
  OpCheckFacts,
  OpCheckRepository,
  ServiceBatch,
  ServiceClip,
} from './batch-repositories';
export type { AuditEvent, AuditRepository, AuditRow } from './audit-repository';

/** Why an op is refused, for machines and for people. */
export type OpRefusal = { readonly code: OpRefusalCode; readonly message: string };

/** An op ready to store: its payload as received, and the checks only the caller can make. */
export type IncomingOp = {
  readonly opId: string;
  readonly payload: unknown;
  /**
   * For annotations: the clip revision this op sets and the one it is based on (0 and null for
   * the first). The store takes it only while the base is the clip's current revision.
   */
  readonly revision?: {
    readonly batchId: string;
    readonly clipId: string;
    readonly revision: number;
    readonly baseRevision: number;
    readonly baseOpId: string | null;
  };
  /** A reason to refuse the op (unknown batch or clip, another device's batch), or null when it may be stored. */
  readonly refusal: OpRefusal | null;
};

export type OpSource = 'online' | 'results_package';

/** One stored annotation revision as an export reads it. */
export type ExportedAnnotation = {
  readonly record: 'revision';
  /** The op's `serverSeq`: the export's cursor. */
  readonly seq: number;
  readonly opId: string;
  readonly account: string;
  readonly batchId: string;
  readonly clipId: string;
  readonly revision: number;
  /** Whether this revision is still its clip's current one. */
  readonly current: boolean;
  readonly receivedAt: number;
  /** The op as stored: its canonical JSON (for a withdrawn clip, the erased tombstone). */
  readonly payload: string;
};

/**
 * A clip's consent withdrawn, as an export reads it: a seq of its own, drawn from the ops' sequence
 * when the clip was erased, so an export resumed from a cursor taken before learns of it.
 */
export type ExportedWithdrawal = {
  readonly record: 'withdrawal';
  readonly seq: number;
  readonly batchId: string;
  readonly clipId: string;
};

/** What the export stream holds, in seq order: annotation revisions and clip withdrawals. */
export type ExportedRecord = ExportedAnnotation | ExportedWithdrawal;

/** Which records an export page holds: those after `afterSeq`, in seq order. */
export type ExportQuery = { readonly batchId?: string; readonly afterSeq: number; readonly limit: number };

export type CurrentAnnotation = {
  readonly batchId: string;
  readonly clipId: string;
  readonly revision: number;
  readonly opId: string;
  /** The op as stored: its canonical JSON. */
  readonly payload: string;
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
   * has no current annotation any more. The only change ever made to a stored op. The first
   * erasure of a clip also records its withdrawal in the export stream, under a seq drawn as an
   * op's is (under the same rule: none lower commits later), so it comes after the clip's rows.
   */
  eraseClip(batchId: string, clipId: string): Promise<{ annotations: number; escalations: number }>;
  /** The current (latest) annotation of every clip of a batch that has one, by clip id. */
  current(batchId: string): Promise<CurrentAnnotation[]>;
  /**
   * Annotation revisions and clip withdrawals with a seq above `q.afterSeq`, lowest first, at most
   * `q.limit`, read at one moment. A cursor never skips a record: once a page has returned seq N,
   * no record with a seq at or below N commits later (a backend whose sequence order is not commit
   * order must hold records back until it is).
   */
  exportAnnotations(q: ExportQuery): Promise<ExportedRecord[]>;
  count(kind: OpKind): Promise<number>;
  /**
   * When an account's escalations were saved (their `createdAt`), within [from, to], oldest
   * first. An escalation of a withdrawn clip no longer says when, and is not counted.
   */
  escalationTimes(account: string, from: number, to: number): Promise<number[]>;
  /** The same escalations with their category (a label), oldest first. */
  escalationCategories(account: string, from: number, to: number): Promise<EscalationMark[]>;
  /**
   * The annotation revisions the account's stored ops hold in these batches: the clips a shift
   * report may count as done by it (its timing records are its own word for the rest).
   */
  heldRevisions(account: string, batchIds: readonly string[]): Promise<HeldRevision[]>;
};

/** One annotation revision the service holds, by where it belongs. */
export type HeldRevision = { readonly batchId: string; readonly clipId: string; readonly revision: number };

/**
 * A timing record as stored: its values as the JSON text received (already checked against its
 * kind's schema), and `order`, which rises with each record stored.
 */
export type StoredTimingRecord = {
  readonly account: string;
  readonly id: string;
  readonly kind: TimingRecordKind;
  readonly body: string;
  readonly order: number;
};

/** What the service holds of one device's ops: the highest `serverSeq` and how many. */
export type DeviceOpFigures = { readonly highSeq: number; readonly count: number };

/**
 * Which device each op came from, and the service's epoch: what a workstation compares with the
 * ops it was acknowledged, to notice a service that lost some (a backup restored).
 */
export type SyncStateRepository = {
  /**
   * Notes that these ops of `account` came from device `keyId`. An op already noted keeps its
   * device; call it only with ops the service holds for `account` (stored or duplicate).
   */
  recordDevice(account: string, keyId: string, opIds: readonly string[]): Promise<void>;
  /** The figures for the ops `account` sent from device `keyId`. */
  figures(account: string, keyId: string): Promise<DeviceOpFigures>;
  /** The service's current epoch (32 hex digits). */
  epoch(): Promise<string>;
  /**
   * The epoch and the figures of `account`'s device `keyId` as of one moment, in one read (what
   * `GET /v1/devices/current/ops` answers).
   */
  deviceState(account: string, keyId: string): Promise<DeviceOpFigures & { readonly epoch: string }>;
  /** Sets a new random epoch and returns it: every workstation checks its acknowledged ops again. */
  changeEpoch(now: number, by: string): Promise<string>;
};

/** Timing and shift records, deduplicated by (account, record id). */
/** The most records one account may have stored since a time (service/timing-checks.ts). */
export type TimingRoom = { readonly limit: number; readonly since: number };

export type TimingRepository = {
  /**
   * Stores the new records atomically, in order, as many as fit the account's room: at most
   * `room.limit` records received at `room.since` or later, these among them. A record already
   * held (or listed twice) takes no room: it was counted when first stored. Returns the ids
   * taken, new or already held: the records up to the first new one that did not fit.
   */
  add(account: string, records: readonly TimingRecord[], now: number, room: TimingRoom): Promise<string[]>;
  count(account: string): Promise<number>;
  /** Every version of the shift records of `accounts` whose shift started in [from, to). */
  shiftRecords(accounts: readonly string[], from: number, to: number): Promise<StoredTimingRecord[]>;
  /** The shifts of `accounts` with a clip record of `batchId`. */
  shiftsWithBatch(accounts: readonly string[], batchId: string): Promise<{ account: string; shiftId: string }[]>;
  /** Every version of the clip and break records of one account's shifts. */
  recordsOfShifts(account: string, shiftIds: readonly string[]): Promise<StoredTimingRecord[]>;
  /** Every version of one account's clip records naming these batches, in the order received. */
  clipRecordsOfBatches(account: string, batchIds: readonly string[]): Promise<StoredTimingRecord[]>;
};

/** The service's own X25519 key pair, which offline results packages are encrypted for. */
export type ServiceKeyRepository = {
  /** The oldest key's private PEM, or undefined before the first key is stored. */
  oldest(): Promise<string | undefined>;
  add(keyId: string, privatePem: string, createdAt: number): Promise<void>;
};

/** Every repository, as the store hands them out and as a unit of work sees them. */
export type Repositories = {
  readonly accounts: AccountRepository;
  readonly sessions: SessionRepository;
  readonly callers: CallerRepository;
  readonly devices: DeviceRepository;
  readonly batches: BatchRepository;
  readonly opChecks: OpCheckRepository;
  readonly ops: OpRepository;
  readonly timing: TimingRepository;
  readonly teams: TeamRepository;
  readonly escalations: EscalationRepository;
  readonly serviceKeys: ServiceKeyRepository;
  readonly audit: AuditRepository;
  readonly checkouts: CheckoutRepository;
  readonly enrolmentCodes: EnrolmentCodeRepository;
  readonly signIns: SignInRepository;
  readonly syncState: SyncStateRepository;
  readonly gold: GoldRepository;
  readonly hearings: HearingRepository;
  readonly faults: FaultRepository;
  readonly uploadSlots: UploadSlotRepository;
};

/** What {@link ServiceStore.readiness} finds. */
export type StoreReadiness = { readonly ok: boolean; readonly schema: number; readonly expected: number };

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
  /** Whether the store answers and its schema is the one this build expects (for `/readyz`). */
  readiness(): Promise<StoreReadiness>;
  /** Waits for the unit of work in progress, if any, then closes the store. */
  close(): Promise<void>;
};
