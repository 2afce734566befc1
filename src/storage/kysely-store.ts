import { AsyncLocalStorage } from 'node:async_hooks';
import { type Kysely, sql } from 'kysely';
import { chainAuditEvents } from '../services/audit-chain.js';
import { DuplicateKeyError } from '../services/errors.js';
import type {
  ApiTokenRecord,
  AuditEvent,
  AuditRow,
  EntryKind,
  EntryRecord,
  PatientRecord,
  Role,
  SessionRecord,
  SiteRecord,
  UserRecord,
} from '../services/model.js';
import type { EntryRange, PatientFilter, ReliefStore, StoreTx } from '../services/ports.js';
import { questionnaireColumns } from './derived-columns.js';
import { PatientOverviewTx } from './patient-overview-store.js';
import type { EntryTable, EntryTableName, QuestionnaireColumns, Tables } from './tables.js';
import type { ArrayRows, Db, Dialect } from './tx-base.js';

const ENTRY_TABLE: Record<EntryKind, EntryTableName> = {
  attack: 'attacks',
  'daily-record': 'daily_records',
  medication: 'medication_intakes',
  questionnaire: 'questionnaire_responses',
};

/** A database connection (SQLite) or pool (PostgreSQL), with its raw rows on SQLite. */
export interface StoreConnection {
  db: Kysely<Tables>;
  arrayRows?: ArrayRows;
}

/** The store port over Kysely; the same code for SQLite and PostgreSQL. */
export class KyselyStore implements ReliefStore {
  readonly db: Kysely<Tables>;
  private readonly writer: StoreConnection;
  private readonly reader: StoreConnection;

  /**
   * @param openReader on SQLite, opens another connection to the file: one serves `read`, so
   * reads do not queue behind the writer's transaction (WAL lets readers run beside the writer),
   * and each `snapshot` gets one of its own, so a long one holds up no one.
   */
  constructor(
    connection: StoreConnection,
    readonly dialect: 'sqlite' | 'postgres',
    private readonly openReader?: () => StoreConnection,
  ) {
    this.writer = connection;
    this.db = connection.db;
    this.reader = openReader?.() ?? connection;
  }

  transaction<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (this.inUnit.getStore()) {
      // It would wait for the batch that is waiting for it: fail loudly instead of hanging.
      return Promise.reject(new Error('store.transaction() called inside a transaction: use the tx given to it'));
    }
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve, reject } as PendingWork);
      if (!this.flushing) {
        // better-sqlite3 is synchronous: flushing at once would commit each request alone
        // before Node reads the next. Waiting one turn of the event loop lets them gather.
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  /** Set while a unit of a batch runs. */
  private readonly inUnit = new AsyncLocalStorage<true>();

  /** Transactions waiting for the writer, committed together (see `flush`). */
  private readonly pending: PendingWork[] = [];
  private flushing = false;

  /**
   * Group commit: the transactions that queued while the previous commit was syncing run one
   * after another inside a single database transaction, each in its own savepoint so that one
   * failing rolls back only itself, and share one commit and one fsync. Each caller hears back
   * only after that commit, so an acknowledged write is durable, and the result is the same as
   * running them one by one. Writes are serialised by the audit chain anyway (every audited
   * transaction appends to it), so one writer per process loses no parallelism.
   */
  private async flush(): Promise<void> {
    await this.runBatch(this.pending.splice(0, MAX_GROUP_COMMIT));
    if (this.pending.length > 0) setImmediate(() => void this.flush());
    else this.flushing = false;
  }

  private async runBatch(batch: PendingWork[]): Promise<void> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await this.db.connection().execute(async (conn) => {
        // On SQLite, BEGIN IMMEDIATE takes the write lock up front, so a transaction that reads
        // and then writes never fails half-way because another process wrote in between.
        await (this.dialect === 'sqlite' ? sql`begin immediate` : sql`begin`).execute(conn);
        try {
          // Audit rows of the units that succeed are chained and written once, at the end.
          const audit: AuditEvent[] = [];
          for (const item of batch) {
            await sql`savepoint unit`.execute(conn);
            const unitAudit: AuditEvent[] = [];
            try {
              const value = await this.inUnit.run(true, () =>
                item.work(new KyselyTx(conn, this.dialect, unitAudit, this.writer.arrayRows)),
              );
              await sql`release unit`.execute(conn);
              audit.push(...unitAudit);
              outcomes.push({ ok: true, value });
            } catch (error) {
              await sql`rollback to unit`.execute(conn);
              await sql`release unit`.execute(conn);
              outcomes.push({ ok: false, value: storeError(error) });
            }
          }
          await writeAudit(conn, this.dialect, audit);
          await sql`commit`.execute(conn);
        } catch (error) {
          await sql`rollback`.execute(conn).catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      // The commit itself failed: nothing of the batch was written.
      for (const item of batch) item.reject(storeError(error));
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.value);
    });
  }

  read<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    return work(new KyselyTx(this.reader.db, this.dialect, undefined, this.reader.arrayRows));
  }

  snapshot<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (this.dialect === 'postgres') {
      return this.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute((trx) => work(new KyselyTx(trx, this.dialect)));
    }
    // A read transaction on a connection of its own: WAL keeps its snapshot while the writer
    // commits. The connection is kept for the next snapshot (with its page and statement caches);
    // snapshots that overlap open more.
    const reader = this.idleSnapshotReader ?? this.openReader?.() ?? this.reader;
    this.idleSnapshotReader = undefined;
    return reader.db
      .connection()
      .execute(async (conn) => {
        await sql`begin`.execute(conn);
        try {
          return await work(new KyselyTx(conn, this.dialect, undefined, reader.arrayRows));
        } finally {
          await sql`commit`.execute(conn);
        }
      })
      .finally(() => {
        if (reader === this.reader) return;
        if (this.idleSnapshotReader === undefined && !this.closed) this.idleSnapshotReader = reader;
        else return reader.db.destroy();
      });
  }

  /** A snapshot connection (SQLite) between snapshots. */
  private idleSnapshotReader: StoreConnection | undefined;
  private closed = false;

  async close(): Promise<void> {
    this.closed = true;
    await this.idleSnapshotReader?.db.destroy();
    this.idleSnapshotReader = undefined;
    if (this.reader !== this.writer) await this.reader.db.destroy();
    await this.db.destroy();
  }
}

interface PendingWork {
  work: (tx: StoreTx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Transactions committed together at most; bounds the latency one commit adds. */
const MAX_GROUP_COMMIT = 64;

/** Unique-key violations look the same whatever the database. */
function storeError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  const unique = code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
  return unique ? new DuplicateKeyError(error) : error;
}

const bool = (v: boolean) => (v ? 1 : 0);

function toUser(r: Tables['users']): UserRecord {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role as Role,
    passwordHash: r.password_hash,
    mustChangePassword: r.must_change_password === 1,
    failedLogins: r.failed_logins,
    lockedUntil: r.locked_until,
    disabled: r.disabled === 1,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toPatient(r: Tables['patients'], careTeam: string[]): PatientRecord {
  return {
    id: r.id,
    siteId: r.site_id,
    userId: r.user_id,
    displayName: r.display_name,
    birthYear: r.birth_year,
    sex: r.sex as PatientRecord['sex'],
    timeZone: r.time_zone,
    conditions: JSON.parse(r.conditions) as string[],
    referenceDate: r.reference_date,
    careTeam,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function patientRow(p: PatientRecord): Tables['patients'] {
  return {
    id: p.id,
    site_id: p.siteId,
    user_id: p.userId,
    display_name: p.displayName,
    birth_year: p.birthYear,
    sex: p.sex,
    time_zone: p.timeZone,
    conditions: JSON.stringify(p.conditions),
    reference_date: p.referenceDate,
    version: p.version,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

function toEntry(kind: EntryKind, r: Tables['attacks']): EntryRecord {
  return {
    id: r.id,
    patientId: r.patient_id,
    kind,
    localDate: r.local_date,
    endDate: r.end_date,
    instant: r.instant,
    body: JSON.parse(r.body) as Record<string, unknown>,
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    deletedAt: r.deleted_at,
  };
}

/** An entry's row; a questionnaire response's also holds its instrument and score, for cohorts. */
function entryRow(e: EntryRecord): EntryTable & Partial<QuestionnaireColumns> {
  const row: EntryTable = {
    id: e.id,
    patient_id: e.patientId,
    local_date: e.localDate,
    end_date: e.endDate,
    instant: e.instant,
    body: JSON.stringify(e.body),
    version: e.version,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
    deleted_at: e.deletedAt,
  };
  return e.kind === 'questionnaire' ? { ...row, ...questionnaireColumns(e.body) } : row;
}

function toAuditRow(r: Tables['audit_log']): AuditRow {
  return {
    seq: Number(r.seq),
    at: r.at,
    actorUserId: r.actor_user_id,
    actorRole: r.actor_role as Role | null,
    action: r.action,
    patientId: r.patient_id,
    entityType: r.entity_type,
    entityId: r.entity_id,
    requestId: r.request_id,
    outcome: r.outcome as AuditRow['outcome'],
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

class KyselyTx extends PatientOverviewTx implements StoreTx {
  /** @param auditBuffer collects this unit's audit events; the batch writes them on commit. */
  constructor(
    db: Db,
    dialect: Dialect,
    private readonly auditBuffer?: AuditEvent[],
    arrayRows?: ArrayRows,
  ) {
    super(db, dialect, arrayRows);
  }

  async insertUser(u: UserRecord): Promise<void> {
    await this.db
      .insertInto('users')
      .values({
        id: u.id,
        username: u.username,
        display_name: u.displayName,
        role: u.role,
        password_hash: u.passwordHash,
        must_change_password: bool(u.mustChangePassword),
        failed_logins: u.failedLogins,
        locked_until: u.lockedUntil,
        disabled: bool(u.disabled),
        created_at: u.createdAt,
        updated_at: u.updatedAt,
      })
      .execute();
  }

  async updateUser(
    id: string,
    patch: Partial<Omit<UserRecord, 'id' | 'username' | 'createdAt'>> & { updatedAt: string },
  ): Promise<void> {
    const values: Partial<Tables['users']> = { updated_at: patch.updatedAt };
    if (patch.displayName !== undefined) values.display_name = patch.displayName;
    if (patch.role !== undefined) values.role = patch.role;
    if (patch.passwordHash !== undefined) values.password_hash = patch.passwordHash;
    if (patch.mustChangePassword !== undefined) values.must_change_password = bool(patch.mustChangePassword);
    if (patch.failedLogins !== undefined) values.failed_logins = patch.failedLogins;
    if (patch.lockedUntil !== undefined) values.locked_until = patch.lockedUntil;
    if (patch.disabled !== undefined) values.disabled = bool(patch.disabled);
    await this.db.updateTable('users').set(values).where('id', '=', id).execute();
  }

  async getUserById(id: string): Promise<UserRecord | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUser(r);
  }

  async getUserByUsername(username: string): Promise<UserRecord | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return r && toUser(r);
  }

  async listUsers(): Promise<UserRecord[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('username').execute();
    return rows.map(toUser);
  }

  async countUsers(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async setMemberships(userId: string, siteIds: readonly string[]): Promise<void> {
    await this.db.deleteFrom('site_memberships').where('user_id', '=', userId).execute();
    if (siteIds.length > 0) {
      await this.db
        .insertInto('site_memberships')
        .values(siteIds.map((site_id) => ({ user_id: userId, site_id })))
        .execute();
    }
  }

  async membershipsOf(userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('site_memberships')
      .select('site_id')
      .where('user_id', '=', userId)
      .orderBy('site_id')
      .execute();
    return rows.map((r) => r.site_id);
  }

  async getSite(id: string): Promise<SiteRecord | undefined> {
    const r = await this.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, name: r.name, version: r.version, createdAt: r.created_at, updatedAt: r.updated_at };
  }

  async insertSite(s: SiteRecord): Promise<void> {
    await this.db
      .insertInto('sites')
      .values({ id: s.id, name: s.name, version: s.version, created_at: s.createdAt, updated_at: s.updatedAt })
      .execute();
  }

  async updateSite(s: SiteRecord, expectedVersion: number): Promise<boolean> {
    const r = await this.db
      .updateTable('sites')
      .set({ name: s.name, version: s.version, updated_at: s.updatedAt })
      .where('id', '=', s.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async listSites(): Promise<SiteRecord[]> {
    const rows = await this.db.selectFrom('sites').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      version: r.version,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }

  private async careTeams(patientIds: string[]): Promise<Map<string, string[]>> {
    const teams = new Map<string, string[]>();
    // In chunks: SQLite binds at most 32,766 values in one statement.
    for (let i = 0; i < patientIds.length; i += 500) {
      const rows = await this.db
        .selectFrom('care_team')
        .selectAll()
        .where('patient_id', 'in', patientIds.slice(i, i + 500))
        .orderBy('user_id')
        .execute();
      for (const r of rows) teams.set(r.patient_id, [...(teams.get(r.patient_id) ?? []), r.user_id]);
    }
    return teams;
  }

  async getPatient(id: string): Promise<PatientRecord | undefined> {
    const r = await this.db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return toPatient(r, (await this.careTeams([r.id])).get(r.id) ?? []);
  }

  async getPatientByUserId(userId: string): Promise<PatientRecord | undefined> {
    const r = await this.db.selectFrom('patients').selectAll().where('user_id', '=', userId).executeTakeFirst();
    if (!r) return undefined;
    return toPatient(r, (await this.careTeams([r.id])).get(r.id) ?? []);
  }

  private async writeCareTeam(patientId: string, careTeam: readonly string[]): Promise<void> {
    await this.db.deleteFrom('care_team').where('patient_id', '=', patientId).execute();
    if (careTeam.length > 0) {
      await this.db
        .insertInto('care_team')
        .values(careTeam.map((user_id) => ({ patient_id: patientId, user_id })))
        .execute();
    }
  }

  async insertPatient(p: PatientRecord): Promise<void> {
    await this.db.insertInto('patients').values(patientRow(p)).execute();
    await this.writeCareTeam(p.id, p.careTeam);
  }

  async updatePatient(p: PatientRecord, expectedVersion: number): Promise<boolean> {
    const { id: _id, created_at: _created, ...values } = patientRow(p);
    const r = await this.db
      .updateTable('patients')
      .set(values)
      .where('id', '=', p.id)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await this.writeCareTeam(p.id, p.careTeam);
    return true;
  }

  async listPatients(filter: PatientFilter): Promise<PatientRecord[]> {
    let q = this.db.selectFrom('patients').selectAll();
    if (filter.siteIds !== undefined) {
      if (filter.siteIds.length === 0) return [];
      q = q.where('site_id', 'in', [...filter.siteIds]);
    }
    if (filter.search) {
      const pattern = `%${filter.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['display_name']), 'like', sql<string>`${pattern} escape '\\'`),
          eb(eb.fn('lower', ['id']), 'like', sql<string>`${pattern} escape '\\'`),
        ]),
      );
    }
    q = q.orderBy('display_name').orderBy('id');
    if (filter.limit !== undefined) q = q.limit(filter.limit).offset(filter.offset ?? 0);
    const rows = await q.execute();
    const teams = await this.careTeams(rows.map((r) => r.id));
    return rows.map((r) => toPatient(r, teams.get(r.id) ?? []));
  }

  async insertSession(s: SessionRecord): Promise<void> {
    await this.db
      .insertInto('sessions')
      .values({
        id_hash: s.idHash,
        user_id: s.userId,
        csrf_token: s.csrfToken,
        created_at: s.createdAt,
        expires_at: s.expiresAt,
      })
      .execute();
  }

  async getSession(idHash: string): Promise<SessionRecord | undefined> {
    const r = await this.db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    return (
      r && {
        idHash: r.id_hash,
        userId: r.user_id,
        csrfToken: r.csrf_token,
        createdAt: r.created_at,
        expiresAt: r.expires_at,
      }
    );
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteSessionsOfUser(userId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  }

  async insertApiToken(t: ApiTokenRecord): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({
        id: t.id,
        user_id: t.userId,
        name: t.name,
        token_hash: t.tokenHash,
        created_at: t.createdAt,
        revoked_at: t.revokedAt,
      })
      .execute();
  }

  async getApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    const r = await this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return (
      r && {
        id: r.id,
        userId: r.user_id,
        name: r.name,
        tokenHash: r.token_hash,
        createdAt: r.created_at,
        revokedAt: r.revoked_at,
      }
    );
  }

  async listApiTokens(userId: string): Promise<ApiTokenRecord[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      name: r.name,
      tokenHash: r.token_hash,
      createdAt: r.created_at,
      revokedAt: r.revoked_at,
    }));
  }

  async revokeApiToken(id: string, userId: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async getEntry(kind: EntryKind, id: string): Promise<EntryRecord | undefined> {
    const r = await this.db.selectFrom(ENTRY_TABLE[kind]).selectAll().where('id', '=', id).executeTakeFirst();
    return r && toEntry(kind, r);
  }

  async getEntries(kind: EntryKind, ids: readonly string[]): Promise<EntryRecord[]> {
    const out: EntryRecord[] = [];
    // In chunks: SQLite binds at most 32,766 values in one statement.
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await this.db
        .selectFrom(ENTRY_TABLE[kind])
        .selectAll()
        .where('id', 'in', ids.slice(i, i + 1000))
        .execute();
      for (const r of rows) out.push(toEntry(kind, r));
    }
    return out;
  }

  async insertEntry(e: EntryRecord): Promise<void> {
    await this.db.insertInto(ENTRY_TABLE[e.kind]).values(entryRow(e)).execute();
  }

  async insertEntries(entries: readonly EntryRecord[]): Promise<void> {
    for (const kind of Object.keys(ENTRY_TABLE) as EntryKind[]) {
      const rows = entries.filter((e) => e.kind === kind).map(entryRow);
      // 10 values a row: 500 rows stay well inside SQLite's 32,766 and PostgreSQL's 65,535 binds.
      for (let i = 0; i < rows.length; i += 500) {
        await this.db
          .insertInto(ENTRY_TABLE[kind])
          .values(rows.slice(i, i + 500))
          .execute();
      }
    }
  }

  async updateEntry(e: EntryRecord, expectedVersion: number): Promise<boolean> {
    const { id: _id, patient_id: _patient, created_at: _created, ...values } = entryRow(e);
    const r = await this.db
      .updateTable(ENTRY_TABLE[e.kind])
      .set(values)
      .where('id', '=', e.id)
      .where('patient_id', '=', e.patientId)
      .where('version', '=', expectedVersion)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async listEntries(kind: EntryKind, patientId: string, range: EntryRange): Promise<EntryRecord[]> {
    let q = this.db
      .selectFrom(ENTRY_TABLE[kind])
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('deleted_at', 'is', null);
    if (range.to !== undefined) q = q.where('local_date', '<=', range.to);
    if (range.from !== undefined) q = q.where('end_date', '>=', range.from);
    // NULLS FIRST spelled out: the two databases sort nulls at opposite ends by default.
    const rows = await q
      .orderBy('local_date')
      .orderBy('instant', (ob) => ob.asc().nullsFirst())
      .orderBy('id')
      .execute();
    return rows.map((r) => toEntry(kind, r));
  }

  async findLiveEntryOnDate(kind: EntryKind, patientId: string, localDate: string): Promise<EntryRecord | undefined> {
    const r = await this.db
      .selectFrom(ENTRY_TABLE[kind])
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('local_date', '=', localDate)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    return r && toEntry(kind, r);
  }

  async appendAudit(events: readonly AuditEvent[]): Promise<void> {
    if (this.auditBuffer) this.auditBuffer.push(...events);
    else await writeAudit(this.db, this.dialect, events);
  }

  async readAudit(afterSeq: number, limit: number): Promise<AuditRow[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toAuditRow);
  }

  async readRecentAudit(limit: number, patientId?: string): Promise<AuditRow[]> {
    let q = this.db.selectFrom('audit_log').selectAll();
    if (patientId !== undefined) q = q.where('patient_id', '=', patientId);
    const rows = await q.orderBy('seq', 'desc').limit(limit).execute();
    return rows.map(toAuditRow);
  }

  async auditHead(): Promise<{ seq: number; hash: string } | undefined> {
    const r = await this.db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    return r && { seq: Number(r.seq), hash: r.hash };
  }
}

/** Appends events to the audit log, each chained to the one before by hash. */
async function writeAudit(db: Db, dialect: 'sqlite' | 'postgres', events: readonly AuditEvent[]): Promise<void> {
  if (events.length === 0) return;
  // Locking the head row serialises appends on PostgreSQL; SQLite's write lock already does.
  let headQuery = db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
  if (dialect === 'postgres') headQuery = headQuery.forUpdate();
  const head = await headQuery.executeTakeFirstOrThrow();
  const rows = chainAuditEvents(events, { seq: Number(head.seq), hash: head.hash });
  // In chunks: SQLite binds at most 32,766 values in one statement (12 per row).
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('audit_log')
      .values(
        rows.slice(i, i + 1000).map((r) => ({
          seq: r.seq,
          at: r.at,
          actor_user_id: r.actorUserId,
          actor_role: r.actorRole,
          action: r.action,
          patient_id: r.patientId,
          entity_type: r.entityType,
          entity_id: r.entityId,
          request_id: r.requestId,
          outcome: r.outcome,
          prev_hash: r.prevHash,
          hash: r.hash,
        })),
      )
      .execute();
  }
  const last = rows[rows.length - 1]!;
  await db.updateTable('audit_head').set({ seq: last.seq, hash: last.hash }).where('id', '=', 1).execute();
}
