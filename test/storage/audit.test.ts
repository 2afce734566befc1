import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../src/services/actor.js';
import { AUDIT_GENESIS_HASH, auditRowHash, AuditVerifier, chainAuditEvents } from '../../src/services/audit-chain.js';
import { ServiceError } from '../../src/services/errors.js';
import type { AuditEvent, AuditRow } from '../../src/services/model.js';
import { createServices, type ReliefServices } from '../../src/services/relief-services.js';
import type { DatabaseConfig } from '../../src/storage/database-config.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { testDatabases } from '../helpers/databases.js';
import { closeAndDrop } from './close-and-drop.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const EVENT: AuditEvent = {
  at: '2024-05-06T07:08:09.000Z',
  actorUserId: 'u-1',
  actorRole: 'clinician',
  action: 'attack.put',
  patientId: 'p-1',
  entityType: 'attack',
  entityId: 'a-1',
  requestId: 'req-9',
  outcome: 'ok',
};

const LOGIN: AuditEvent = {
  at: '2024-05-06T07:08:10.000Z',
  actorUserId: null,
  actorRole: null,
  action: 'auth.login',
  patientId: null,
  entityType: null,
  entityId: null,
  requestId: null,
  outcome: 'denied',
};

describe('audit chain', () => {
  it('hashes the canonical JSON array [seq, at, actor, role, action, patient, type, id, request, outcome, prev]', () => {
    const canonical =
      '[1,"2024-05-06T07:08:09.000Z","u-1","clinician","attack.put","p-1","attack","a-1","req-9","ok",' +
      `"${'0'.repeat(64)}"]`;
    expect(auditRowHash(1, EVENT, AUDIT_GENESIS_HASH)).toBe(sha256(canonical));
    // Pinned, so a change of the canonical form (which would break every stored chain) shows.
    expect(auditRowHash(1, EVENT, AUDIT_GENESIS_HASH)).toBe(
      '4ee92301c28d29c21e6628046551f5106eb65947dc588b390f4e0ae35181a782',
    );
    const second =
      '[2,"2024-05-06T07:08:10.000Z",null,null,"auth.login",null,null,null,null,"denied",' +
      '"4ee92301c28d29c21e6628046551f5106eb65947dc588b390f4e0ae35181a782"]';
    expect(auditRowHash(2, LOGIN, '4ee92301c28d29c21e6628046551f5106eb65947dc588b390f4e0ae35181a782')).toBe(
      sha256(second),
    );
    expect(sha256(second)).toBe('8fab5d92adb0305e53db5df6ecbcf0bece8ea64c96103ac6a40328954f988b18');
  });

  it('every field and the previous hash go into the hash', () => {
    const base = auditRowHash(5, EVENT, AUDIT_GENESIS_HASH);
    expect(auditRowHash(6, EVENT, AUDIT_GENESIS_HASH)).not.toBe(base);
    expect(auditRowHash(5, EVENT, 'f'.repeat(64))).not.toBe(base);
    const changes: Partial<AuditEvent>[] = [
      { at: '2024-05-06T07:08:09.001Z' },
      { actorUserId: 'u-2' },
      { actorUserId: null },
      { actorRole: 'admin' },
      { action: 'attack.read' },
      { patientId: 'p-2' },
      { entityType: 'daily-record' },
      { entityId: 'a-2' },
      { requestId: null },
      { outcome: 'denied' },
    ];
    for (const change of changes) expect(auditRowHash(5, { ...EVENT, ...change }, AUDIT_GENESIS_HASH)).not.toBe(base);
  });

  it('chainAuditEvents numbers and links rows from the genesis hash or from the last row', () => {
    const fromStart = chainAuditEvents([EVENT, LOGIN], undefined);
    expect(fromStart).toEqual([
      { ...EVENT, seq: 1, prevHash: AUDIT_GENESIS_HASH, hash: auditRowHash(1, EVENT, AUDIT_GENESIS_HASH) },
      {
        ...LOGIN,
        seq: 2,
        prevHash: fromStart[0]!.hash,
        hash: auditRowHash(2, LOGIN, fromStart[0]!.hash),
      },
    ]);
    const next = chainAuditEvents([EVENT], { seq: 2, hash: fromStart[1]!.hash });
    expect(next).toEqual([
      { ...EVENT, seq: 3, prevHash: fromStart[1]!.hash, hash: auditRowHash(3, EVENT, fromStart[1]!.hash) },
    ]);
    expect(chainAuditEvents([], { seq: 7, hash: 'x' })).toEqual([]);
  });

  describe('AuditVerifier', () => {
    const rows = chainAuditEvents([EVENT, LOGIN, EVENT, LOGIN], undefined);
    const head = { seq: 4, hash: rows[3]!.hash };
    const verify = (input: AuditRow[], h: { seq: number; hash: string } | undefined) => {
      const verifier = new AuditVerifier();
      for (const row of input) verifier.add(row);
      return verifier.finish(h);
    };

    it('an intact chain has no problems', () => {
      expect(verify(rows, head)).toEqual({ rows: 4, lastSeq: 4, lastHash: rows[3]!.hash, problems: [] });
    });

    it('an empty log with no head or the initial head is intact', () => {
      const empty = { rows: 0, lastSeq: 0, lastHash: AUDIT_GENESIS_HASH, problems: [] };
      expect(verify([], undefined)).toEqual(empty);
      expect(verify([], { seq: 0, hash: AUDIT_GENESIS_HASH })).toEqual(empty);
    });

    it('an edited row, a missing row, a broken link and a wrong head each show', () => {
      const edited = rows.map((r) => (r.seq === 2 ? { ...r, outcome: 'ok' as const } : r));
      expect(verify(edited, head).problems).toEqual([
        { seq: 2, problem: 'row content does not match its hash (edited)' },
      ]);

      const missing = rows.filter((r) => r.seq !== 2 && r.seq !== 3);
      expect(verify(missing, head).problems).toEqual([
        { seq: 4, problem: 'expected row 2 next: rows 2–3 are missing' },
        { seq: 4, problem: 'previous-hash link does not match the row before it' },
      ]);

      const rehashed = { ...rows[1]!, outcome: 'ok' as const };
      rehashed.hash = auditRowHash(2, rehashed, rehashed.prevHash);
      expect(verify([rows[0]!, rehashed, rows[2]!, rows[3]!], head).problems).toEqual([
        { seq: 3, problem: 'previous-hash link does not match the row before it' },
      ]);

      expect(verify(rows.slice(0, 3), head).problems).toEqual([
        { seq: 4, problem: 'the log ends at row 3 but its recorded head is row 4 (rows deleted or head altered)' },
      ]);
      expect(verify(rows, { seq: 4, hash: rows[2]!.hash }).problems).toEqual([
        { seq: 4, problem: 'the log ends at row 4 but its recorded head is row 4 (rows deleted or head altered)' },
      ]);
      expect(verify([], head).problems).toEqual([
        { seq: 4, problem: 'the log ends at row 0 but its recorded head is row 4 (rows deleted or head altered)' },
      ]);
    });
  });
});

const ADMIN: RequestContext = {
  actor: {
    userId: 'admin-1',
    username: 'admin',
    role: 'admin',
    siteIds: [],
    patientId: null,
    mustChangePassword: false,
  },
  requestId: 'req-1',
};
const NOW = new Date('2024-06-01T10:00:00.000Z');

const ATTACK = { id: 'a1', start: '2024-05-30T08:00:00+02:00', end: '2024-05-30T11:00:00+02:00', peakIntensity: 7 };

/** Eight audited actions: [action, outcome, entityId] of each row, in order. */
const ACTIONS: [string, string, string | null][] = [
  ['site.put', 'ok', 's1'],
  ['patient.put', 'ok', 'p1'],
  ['attack.put', 'ok', 'a1'],
  ['attack.put', 'unchanged', 'a1'],
  ['attack.read', 'ok', 'a1'],
  ['attack.read', 'not_found', 'missing'],
  ['attack.delete', 'ok', 'a1'],
  ['patient.list', 'ok', 'p1'], // one row per patient listed
];

async function auditedActions(services: ReliefServices): Promise<void> {
  await services.admin.putSite(ADMIN, 's1', { name: 'Site 1' }, undefined);
  await services.patients.put(
    ADMIN,
    'p1',
    { siteId: 's1', displayName: 'Pat', timeZone: 'Europe/Berlin', conditions: ['migraine'], careTeam: [] },
    undefined,
  );
  await services.diary.put(ADMIN, 'attack', 'p1', 'a1', ATTACK, undefined);
  await services.diary.put(ADMIN, 'attack', 'p1', 'a1', ATTACK, undefined);
  await services.diary.get(ADMIN, 'attack', 'p1', 'a1');
  const missing = await services.diary.get(ADMIN, 'attack', 'p1', 'missing').catch((e: unknown) => e);
  expect(missing).toBeInstanceOf(ServiceError);
  await services.diary.delete(ADMIN, 'attack', 'p1', 'a1', undefined);
  await services.patients.list(ADMIN, { limit: 100, offset: 0 });
}

describe.each(testDatabases())('$name audit log', (db) => {
  let store: KyselyStore;
  let services: ReliefServices;
  let drop: () => Promise<void>;
  let config: DatabaseConfig;

  beforeEach(async () => {
    const fresh = await db.fresh();
    drop = fresh.drop;
    config = fresh.config;
    store = await openStore(fresh.config);
    services = createServices(store, { clock: () => NOW });
    await auditedActions(services);
  });

  afterEach(async () => {
    await closeAndDrop(store, config, drop);
  });

  const rows = () => store.transaction((tx) => tx.readAudit(0, 1000));

  it('records every audited action, and verify() finds the chain intact', async () => {
    const log = await rows();
    expect(log.map((r) => [r.action, r.outcome, r.entityId])).toEqual(ACTIONS);
    expect(log.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(log[2]).toEqual({
      seq: 3,
      at: NOW.toISOString(),
      actorUserId: 'admin-1',
      actorRole: 'admin',
      action: 'attack.put',
      patientId: 'p1',
      entityType: 'attack',
      entityId: 'a1',
      requestId: 'req-1',
      outcome: 'ok',
      prevHash: log[1]!.hash,
      hash: auditRowHash(3, log[2]!, log[1]!.hash),
    });
    expect(await store.transaction((tx) => tx.auditHead())).toEqual({ seq: 8, hash: log[7]!.hash });
    expect(await services.audit.verify()).toEqual({ rows: 8, lastSeq: 8, lastHash: log[7]!.hash, problems: [] });
    // readAudit pages by seq.
    expect((await store.transaction((tx) => tx.readAudit(3, 2))).map((r) => r.seq)).toEqual([4, 5]);
    expect(await store.transaction((tx) => tx.readAudit(8, 10))).toEqual([]);
  });

  it('(a) an edited outcome shows at its row as edited', async () => {
    await store.db.updateTable('audit_log').set({ outcome: 'ok' }).where('seq', '=', 6).execute();
    const result = await services.audit.verify();
    expect(result.problems).toEqual([{ seq: 6, problem: 'row content does not match its hash (edited)' }]);
    expect(result.rows).toBe(8);
  });

  it('(a) an edited actor shows too', async () => {
    await store.db.updateTable('audit_log').set({ actor_user_id: 'someone-else' }).where('seq', '=', 2).execute();
    expect((await services.audit.verify()).problems).toEqual([
      { seq: 2, problem: 'row content does not match its hash (edited)' },
    ]);
  });

  it('(b) a deleted middle row shows as missing rows', async () => {
    await store.db.deleteFrom('audit_log').where('seq', '=', 4).execute();
    const result = await services.audit.verify();
    expect(result.problems).toEqual([
      { seq: 5, problem: 'expected row 4 next: rows 4–4 are missing' },
      { seq: 5, problem: 'previous-hash link does not match the row before it' },
    ]);
    expect(result.rows).toBe(7);
  });

  it('(c) a deleted last row shows against the recorded head', async () => {
    await store.db.deleteFrom('audit_log').where('seq', '=', 8).execute();
    const result = await services.audit.verify();
    expect(result.problems).toEqual([
      { seq: 8, problem: 'the log ends at row 7 but its recorded head is row 8 (rows deleted or head altered)' },
    ]);
    expect(result.rows).toBe(7);
    expect(result.lastSeq).toBe(7);
  });

  it('(c) deleting every row shows too', async () => {
    await store.db.deleteFrom('audit_log').execute();
    expect((await services.audit.verify()).problems).toEqual([
      { seq: 8, problem: 'the log ends at row 0 but its recorded head is row 8 (rows deleted or head altered)' },
    ]);
  });

  it('(d) a rewritten row with a recomputed hash breaks the next link', async () => {
    const row = (await rows())[2]!;
    const forged = { ...row, outcome: 'denied' as const };
    const hash = auditRowHash(row.seq, forged, row.prevHash);
    await store.db.updateTable('audit_log').set({ outcome: 'denied', hash }).where('seq', '=', 3).execute();
    expect((await services.audit.verify()).problems).toEqual([
      { seq: 4, problem: 'previous-hash link does not match the row before it' },
    ]);
  });

  it('(d) the last row rewritten with a recomputed hash no longer matches the head', async () => {
    const row = (await rows())[7]!;
    const forged = { ...row, actorUserId: 'someone-else' };
    const hash = auditRowHash(row.seq, forged, row.prevHash);
    await store.db.updateTable('audit_log').set({ actor_user_id: 'someone-else', hash }).where('seq', '=', 8).execute();
    expect((await services.audit.verify()).problems).toEqual([
      { seq: 8, problem: 'the log ends at row 8 but its recorded head is row 8 (rows deleted or head altered)' },
    ]);
  });

  it('a row appended behind the store’s back does not match the head', async () => {
    const last = (await rows())[7]!;
    const [extra] = chainAuditEvents([{ ...LOGIN, at: NOW.toISOString() }], { seq: 8, hash: last.hash });
    await store.db
      .insertInto('audit_log')
      .values({
        seq: extra!.seq,
        at: extra!.at,
        actor_user_id: extra!.actorUserId,
        actor_role: extra!.actorRole,
        action: extra!.action,
        patient_id: extra!.patientId,
        entity_type: extra!.entityType,
        entity_id: extra!.entityId,
        request_id: extra!.requestId,
        outcome: extra!.outcome,
        prev_hash: extra!.prevHash,
        hash: extra!.hash,
      })
      .execute();
    expect((await services.audit.verify()).problems).toEqual([
      { seq: 8, problem: 'the log ends at row 9 but its recorded head is row 8 (rows deleted or head altered)' },
    ]);
  });

  // Log and head must be read in one snapshot: read one after the other, a commit in between
  // looks like "rows deleted or head altered".
  it('verify() run again and again while 200 diary writes are in flight always finds the chain intact', async () => {
    // More than one page of rows, so that verify() reads the log in several statements.
    for (let i = 0; i < 12; i++) {
      await store.transaction((tx) => tx.appendAudit(Array<AuditEvent>(500).fill({ ...LOGIN, at: NOW.toISOString() })));
    }
    let settled = false;
    const writes = Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        services.diary.put(ADMIN, 'attack', 'p1', `busy-${i}`, { ...ATTACK, id: `busy-${i}` }, undefined),
      ),
    ).finally(() => {
      settled = true;
    });
    const results = [];
    while (!settled) {
      results.push(await services.audit.verify());
      // On SQLite every query settles within microtasks: let the writer's next batch start.
      await new Promise((resolve) => setImmediate(resolve));
      if (results.length > 10_000) throw new Error('the writes never finished');
    }
    expect((await writes).map((r) => r.status)).toEqual(Array<string>(200).fill('created'));
    for (const result of results) {
      expect(result.problems).toEqual([]);
      expect(result.lastSeq).toBe(result.rows);
    }
    // Some ran while writes were still to come.
    expect(results[0]!.rows).toBeLessThan(6_208);
    const head = await store.transaction((tx) => tx.auditHead());
    expect(head?.seq).toBe(6_208);
    expect(await services.audit.verify()).toEqual({ rows: 6_208, lastSeq: 6_208, lastHash: head!.hash, problems: [] });
  });

  it('appends thousands of rows in one transaction (more values than one SQLite statement may bind)', async () => {
    const events = Array.from({ length: 3_000 }, (_, i) => ({ ...LOGIN, entityId: `u${i}` }));
    await store.transaction((tx) => tx.appendAudit(events));
    const result = await services.audit.verify();
    expect(result.problems).toEqual([]);
    expect(result.rows).toBe(3_008);
    const last = await store.transaction((tx) => tx.readAudit(3_007, 10));
    expect(last.map((r) => [r.seq, r.entityId])).toEqual([[3_008, 'u2999']]);
  });

  it('appends after verification keep the chain intact', async () => {
    await services.diary.put(ADMIN, 'attack', 'p1', 'a2', { ...ATTACK, id: 'a2' }, undefined);
    const result = await services.audit.verify();
    expect(result.problems).toEqual([]);
    expect(result.rows).toBe(9);
  });
});

describe('relief audit verify (built CLI, SQLite)', () => {
  let dir: string;

  beforeAll(async () => {
    // The CLI runs from the build; other tests may build at the same time, which is harmless.
    try {
      await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT });
    } catch (error) {
      // tsc still writes dist/ on type errors elsewhere; the assertions below decide.
      console.warn(`tsc -p tsconfig.build.json: ${(error as { stdout?: string }).stdout ?? String(error)}`);
    }
    dir = await mkdtemp(path.join(os.tmpdir(), 'relief-audit-cli-'));
    const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'relief.sqlite') });
    try {
      await auditedActions(createServices(store, { clock: () => NOW }));
    } finally {
      await store.close();
    }
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function relief(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: NodeJS.ProcessEnv = { ...process.env, RELIEF_DATA_DIR: dir };
    delete env.RELIEF_DATABASE_URL;
    try {
      const { stdout, stderr } = await run('node', ['bin/relief.js', ...args], { cwd: ROOT, env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
  }

  async function withStore<T>(work: (store: KyselyStore) => Promise<T>): Promise<T> {
    const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'relief.sqlite') });
    try {
      return await work(store);
    } finally {
      await store.close();
    }
  }

  it('an intact log: exit 0 and "audit log intact: N rows"', async () => {
    const head = await withStore((store) => store.transaction((tx) => tx.auditHead()));
    expect(head?.seq).toBe(8);
    expect(await relief('audit', 'verify')).toEqual({
      code: 0,
      stdout: `audit log intact: 8 rows, last hash ${head!.hash}\n`,
      stderr: '',
    });
    const json = await relief('audit', 'verify', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ rows: 8, lastSeq: 8, lastHash: head!.hash, problems: [] });
  }, 30_000);

  it('after tampering: the problem lines', async () => {
    await withStore((store) =>
      store.db.updateTable('audit_log').set({ outcome: 'denied' }).where('seq', '=', 3).execute(),
    );
    const broken = await relief('audit', 'verify');
    expect(broken.stdout).toBe(
      'audit log BROKEN: 1 problem(s) in 8 rows\n  row 3: row content does not match its hash (edited)\n',
    );
    expect(broken.stderr).toBe('');
    const brokenJson = await relief('audit', 'verify', '--json');
    expect(JSON.parse(brokenJson.stdout).problems).toEqual([
      { seq: 3, problem: 'row content does not match its hash (edited)' },
    ]);

    await withStore((store) => store.db.deleteFrom('audit_log').where('seq', '=', 8).execute());
    expect((await relief('audit', 'verify')).stdout).toBe(
      'audit log BROKEN: 2 problem(s) in 7 rows\n' +
        '  row 3: row content does not match its hash (edited)\n' +
        '  row 8: the log ends at row 7 but its recorded head is row 8 (rows deleted or head altered)\n',
    );
  }, 30_000);

  it('after tampering: exit 1 (plain and --json)', async () => {
    expect((await relief('audit', 'verify')).code).toBe(1);
    expect((await relief('audit', 'verify', '--json')).code).toBe(1);
  }, 30_000);
});
