import type {
  ApiTokenRecord,
  AuditEvent,
  AuditRow,
  EntryKind,
  EntryRecord,
  PatientRecord,
  SessionRecord,
  SiteRecord,
  UserRecord,
} from './model.js';
import type { CohortStoreTx } from './cohort-ports.js';
import type { PatientOverviewStoreTx } from './patient-overview-ports.js';
import type { PreferencesStoreTx } from './preferences-ports.js';
import type { RegistryStoreTx } from './registry-ports.js';
import type { SummaryStoreTx } from './summary-ports.js';

/**
 * What the services need from storage. The storage layer implements it with Kysely over SQLite
 * or PostgreSQL; every method runs inside the transaction it was handed.
 */
export interface ReliefStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `work` in one transaction: all of it is committed, or none of it. */
  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Runs reads outside a transaction (cheaper; each statement sees the latest commit). */
  read<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Runs reads that all see one consistent state of the database, whatever is written meanwhile. */
  snapshot<T>(work: (tx: StoreTx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface EntryRange {
  /** Local dates, inclusive; an entry is returned when the days it covers meet the range. */
  from?: string;
  to?: string;
}

export interface PatientFilter {
  /** Only patients of these sites; undefined means every site. */
  siteIds?: readonly string[];
  /** Case-insensitive part of the display name or id. */
  search?: string;
  /** A page of the list ordered by display name, then id. */
  limit?: number;
  offset?: number;
}

export interface StoreTx
  extends RegistryStoreTx, SummaryStoreTx, CohortStoreTx, PreferencesStoreTx, PatientOverviewStoreTx {
  insertUser(user: UserRecord): Promise<void>;
  updateUser(
    id: string,
    patch: Partial<Omit<UserRecord, 'id' | 'username' | 'createdAt'>> & { updatedAt: string },
  ): Promise<void>;
  getUserById(id: string): Promise<UserRecord | undefined>;
  getUserByUsername(username: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  countUsers(): Promise<number>;
  setMemberships(userId: string, siteIds: readonly string[]): Promise<void>;
  membershipsOf(userId: string): Promise<string[]>;

  getSite(id: string): Promise<SiteRecord | undefined>;
  insertSite(site: SiteRecord): Promise<void>;
  /** Writes when the stored version is `expectedVersion`; false when it is not. */
  updateSite(site: SiteRecord, expectedVersion: number): Promise<boolean>;
  listSites(): Promise<SiteRecord[]>;

  getPatient(id: string): Promise<PatientRecord | undefined>;
  getPatientByUserId(userId: string): Promise<PatientRecord | undefined>;
  insertPatient(patient: PatientRecord): Promise<void>;
  updatePatient(patient: PatientRecord, expectedVersion: number): Promise<boolean>;
  listPatients(filter: PatientFilter): Promise<PatientRecord[]>;

  insertSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | undefined>;
  deleteSession(idHash: string): Promise<void>;
  deleteSessionsOfUser(userId: string): Promise<void>;

  insertApiToken(token: ApiTokenRecord): Promise<void>;
  getApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  listApiTokens(userId: string): Promise<ApiTokenRecord[]>;
  revokeApiToken(id: string, userId: string, at: string): Promise<boolean>;

  /** The entry with this id whoever it belongs to, deleted or not. */
  getEntry(kind: EntryKind, id: string): Promise<EntryRecord | undefined>;
  /** The entries of one kind with these ids, whoever they belong to, deleted or not; in no order. */
  getEntries(kind: EntryKind, ids: readonly string[]): Promise<EntryRecord[]>;
  insertEntry(entry: EntryRecord): Promise<void>;
  /** Inserts new entries (of any kinds) in multi-row statements, for bulk imports. */
  insertEntries(entries: readonly EntryRecord[]): Promise<void>;
  updateEntry(entry: EntryRecord, expectedVersion: number): Promise<boolean>;
  /** Entries not deleted, ordered by local date, then instant, then id. */
  listEntries(kind: EntryKind, patientId: string, range: EntryRange): Promise<EntryRecord[]>;
  /** A live (not deleted) entry of this kind on this patient's date, if any. */
  findLiveEntryOnDate(kind: EntryKind, patientId: string, localDate: string): Promise<EntryRecord | undefined>;

  /** Appends events to the audit log, chaining each to the previous row by hash. */
  appendAudit(events: readonly AuditEvent[]): Promise<void>;
  /** Rows with seq > afterSeq, in order. */
  readAudit(afterSeq: number, limit: number): Promise<AuditRow[]>;
  /** The newest rows first, optionally only those about one patient. */
  readRecentAudit(limit: number, patientId?: string): Promise<AuditRow[]>;
  /** The last seq and hash written, kept beside the log so deleting trailing rows shows. */
  auditHead(): Promise<{ seq: number; hash: string } | undefined>;
}
