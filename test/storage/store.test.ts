import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../src/services/actor.js';
import { DuplicateKeyError } from '../../src/services/errors.js';
import {
  ENTRY_KINDS,
  type ApiTokenRecord,
  type EntryKind,
  type EntryRecord,
  type PatientRecord,
  type SessionRecord,
  type SiteRecord,
  type UserRecord,
} from '../../src/services/model.js';
import type { StoreTx } from '../../src/services/ports.js';
import { createServices } from '../../src/services/relief-services.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { migrateToLatest } from '../../src/storage/migrations.js';
import { openStore } from '../../src/storage/open-store.js';
import type { DatabaseConfig } from '../../src/storage/database-config.js';
import { testDatabases } from '../helpers/databases.js';
import { closeAndDrop } from './close-and-drop.js';

const T0 = '2024-01-01T00:00:00.000Z';
const T1 = '2024-01-02T00:00:00.000Z';
const T2 = '2024-01-03T00:00:00.000Z';

function user(id: string, overrides: Partial<UserRecord> = {}): UserRecord {
  return {
    id,
    username: id,
    displayName: `User ${id}`,
    role: 'clinician',
    passwordHash: `hash-${id}`,
    mustChangePassword: false,
    failedLogins: 0,
    lockedUntil: null,
    disabled: false,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function site(id: string, overrides: Partial<SiteRecord> = {}): SiteRecord {
  return { id, name: `Site ${id}`, version: 1, createdAt: T0, updatedAt: T0, ...overrides };
}

function patient(id: string, overrides: Partial<PatientRecord> = {}): PatientRecord {
  return {
    id,
    siteId: 's1',
    userId: null,
    displayName: `Patient ${id}`,
    birthYear: null,
    sex: null,
    timeZone: 'Europe/Berlin',
    conditions: ['migraine'],
    referenceDate: null,
    careTeam: [],
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function entry(
  kind: EntryKind,
  id: string,
  localDate: string,
  overrides: Partial<Omit<EntryRecord, 'kind' | 'id' | 'localDate'>> = {},
): EntryRecord {
  return {
    id,
    patientId: 'p1',
    kind,
    localDate,
    endDate: localDate,
    instant: null,
    body: { note: id, nested: { n: 1, list: [1, 'two', null, true] } },
    version: 1,
    createdAt: T0,
    updatedAt: T0,
    deletedAt: null,
    ...overrides,
  };
}

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

describe.each(testDatabases())('$name store', (db) => {
  let config: DatabaseConfig;
  let drop: () => Promise<void>;
  let store: KyselyStore;
  /** Runs one transaction on the store. */
  const tx = <T>(work: (t: StoreTx) => Promise<T>) => store.transaction(work);

  beforeEach(async () => {
    ({ config, drop } = await db.fresh());
    store = await openStore(config);
  });

  afterEach(async () => {
    await closeAndDrop(store, config, drop);
  });

  /** Two sites, three clinicians and patient p1 at site s1. */
  async function seed(): Promise<void> {
    await tx(async (t) => {
      await t.insertSite(site('s1'));
      await t.insertSite(site('s2'));
      for (const id of ['u1', 'u2', 'u3']) await t.insertUser(user(id));
      await t.insertPatient(patient('p1'));
    });
  }

  it('opens on the dialect it was configured for', () => {
    expect(store.dialect).toBe(db.name);
  });

  describe('users', () => {
    it('insert, then get by id and by username', async () => {
      const u = user('u-1', {
        username: 'alice',
        displayName: 'Alice A.',
        role: 'admin',
        mustChangePassword: true,
        failedLogins: 2,
        lockedUntil: T2,
        disabled: true,
        updatedAt: T1,
      });
      await tx((t) => t.insertUser(u));
      expect(await tx((t) => t.getUserById('u-1'))).toEqual(u);
      expect(await tx((t) => t.getUserByUsername('alice'))).toEqual(u);
      expect(await tx((t) => t.getUserById('alice'))).toBeUndefined();
      expect(await tx((t) => t.getUserByUsername('u-1'))).toBeUndefined();
      expect(await tx((t) => t.getUserByUsername('ALICE'))).toBeUndefined();
    });

    it('lists by username and counts', async () => {
      expect(await tx((t) => t.countUsers())).toBe(0);
      expect(await tx((t) => t.listUsers())).toEqual([]);
      const users = [
        user('1', { username: 'carol' }),
        user('2', { username: 'alice' }),
        user('3', { username: 'bob' }),
      ];
      await tx(async (t) => {
        for (const u of users) await t.insertUser(u);
      });
      expect(await tx((t) => t.countUsers())).toBe(3);
      expect((await tx((t) => t.listUsers())).map((u) => u.username)).toEqual(['alice', 'bob', 'carol']);
      expect(await tx((t) => t.listUsers())).toEqual([users[1], users[2], users[0]]);
    });

    it('updateUser writes exactly the patched fields, booleans and nulls included', async () => {
      const original = user('u1', { mustChangePassword: true, lockedUntil: T1, failedLogins: 3 });
      const other = user('u2');
      await tx(async (t) => {
        await t.insertUser(original);
        await t.insertUser(other);
      });

      await tx((t) => t.updateUser('u1', { mustChangePassword: false, disabled: true, updatedAt: T1 }));
      expect(await tx((t) => t.getUserById('u1'))).toEqual({
        ...original,
        mustChangePassword: false,
        disabled: true,
        updatedAt: T1,
      });

      await tx((t) =>
        t.updateUser('u1', {
          displayName: 'Renamed',
          role: 'researcher',
          passwordHash: 'new-hash',
          failedLogins: 0,
          lockedUntil: null,
          disabled: false,
          mustChangePassword: true,
          updatedAt: T2,
        }),
      );
      expect(await tx((t) => t.getUserById('u1'))).toEqual({
        ...original,
        displayName: 'Renamed',
        role: 'researcher',
        passwordHash: 'new-hash',
        failedLogins: 0,
        lockedUntil: null,
        disabled: false,
        mustChangePassword: true,
        updatedAt: T2,
      });

      // Only updatedAt: nothing else moves.
      await tx((t) => t.updateUser('u1', { updatedAt: T0 }));
      expect((await tx((t) => t.getUserById('u1')))?.updatedAt).toBe(T0);
      expect((await tx((t) => t.getUserById('u1')))?.displayName).toBe('Renamed');
      // The other user is untouched.
      expect(await tx((t) => t.getUserById('u2'))).toEqual(other);
    });

    it('the role check constraint refuses an unknown role', async () => {
      await expect(tx((t) => t.insertUser(user('u1', { role: 'root' as UserRecord['role'] })))).rejects.toThrow();
      expect(await tx((t) => t.countUsers())).toBe(0);
    });
  });

  describe('memberships', () => {
    it('setMemberships replaces the set; membershipsOf is ordered by site id', async () => {
      await tx(async (t) => {
        for (const id of ['s3', 's1', 's2']) await t.insertSite(site(id));
        await t.insertUser(user('u1'));
        await t.insertUser(user('u2'));
      });
      expect(await tx((t) => t.membershipsOf('u1'))).toEqual([]);
      await tx((t) => t.setMemberships('u1', ['s3', 's1']));
      await tx((t) => t.setMemberships('u2', ['s2']));
      expect(await tx((t) => t.membershipsOf('u1'))).toEqual(['s1', 's3']);
      await tx((t) => t.setMemberships('u1', ['s2', 's3']));
      expect(await tx((t) => t.membershipsOf('u1'))).toEqual(['s2', 's3']);
      await tx((t) => t.setMemberships('u1', []));
      expect(await tx((t) => t.membershipsOf('u1'))).toEqual([]);
      expect(await tx((t) => t.membershipsOf('u2'))).toEqual(['s2']);
    });

    it('a membership of a missing site is refused (foreign key)', async () => {
      await tx((t) => t.insertUser(user('u1')));
      await expect(tx((t) => t.setMemberships('u1', ['nope']))).rejects.toThrow();
      expect(await tx((t) => t.membershipsOf('u1'))).toEqual([]);
    });
  });

  describe('sites', () => {
    it('insert, get, list by id', async () => {
      await tx(async (t) => {
        await t.insertSite(site('b', { name: 'Bravo' }));
        await t.insertSite(site('a', { name: 'Alpha', version: 4, updatedAt: T1 }));
      });
      expect(await tx((t) => t.getSite('a'))).toEqual(site('a', { name: 'Alpha', version: 4, updatedAt: T1 }));
      expect(await tx((t) => t.getSite('c'))).toBeUndefined();
      expect(await tx((t) => t.listSites())).toEqual([
        site('a', { name: 'Alpha', version: 4, updatedAt: T1 }),
        site('b', { name: 'Bravo' }),
      ]);
    });

    it('updateSite writes only at the expected version', async () => {
      await tx((t) => t.insertSite(site('s1')));
      const v2 = site('s1', { name: 'Renamed', version: 2, updatedAt: T1 });
      expect(await tx((t) => t.updateSite(v2, 1))).toBe(true);
      expect(await tx((t) => t.getSite('s1'))).toEqual(v2);
      // A writer still holding version 1 loses.
      const stale = site('s1', { name: 'Stale', version: 2, updatedAt: T2 });
      expect(await tx((t) => t.updateSite(stale, 1))).toBe(false);
      expect(await tx((t) => t.getSite('s1'))).toEqual(v2);
      expect(await tx((t) => t.updateSite(site('missing', { version: 2 }), 1))).toBe(false);
      expect(await tx((t) => t.getSite('missing'))).toBeUndefined();
    });
  });

  describe('patients', () => {
    it('insert with a care team; get by id and by user id', async () => {
      await seed();
      await tx((t) => t.insertUser(user('pu', { role: 'patient' })));
      const p = patient('p2', {
        siteId: 's2',
        userId: 'pu',
        displayName: 'Erika Mustermann',
        birthYear: 1980,
        sex: 'female',
        timeZone: 'America/New_York',
        conditions: ['migraine', 'neuropathic-pain'],
        referenceDate: '2024-02-29',
        careTeam: ['u3', 'u1'],
        version: 7,
        updatedAt: T1,
      });
      await tx((t) => t.insertPatient(p));
      const expected = { ...p, careTeam: ['u1', 'u3'] };
      expect(await tx((t) => t.getPatient('p2'))).toEqual(expected);
      expect(await tx((t) => t.getPatientByUserId('pu'))).toEqual(expected);
      expect(await tx((t) => t.getPatientByUserId('u1'))).toBeUndefined();
      expect(await tx((t) => t.getPatient('p3'))).toBeUndefined();
      expect(await tx((t) => t.getPatient('p1'))).toEqual(patient('p1'));
    });

    it('a care team member must be a user (foreign key); nothing of the patient is left', async () => {
      await seed();
      await expect(tx((t) => t.insertPatient(patient('p2', { careTeam: ['ghost'] })))).rejects.toThrow();
      expect(await tx((t) => t.getPatient('p2'))).toBeUndefined();
    });

    it('updatePatient writes patient and care team only at the expected version', async () => {
      await seed();
      await tx((t) => t.insertPatient(patient('p2', { careTeam: ['u1', 'u2'] })));
      const v2 = patient('p2', {
        displayName: 'New name',
        siteId: 's2',
        careTeam: ['u3'],
        conditions: [],
        birthYear: 1990,
        version: 2,
        updatedAt: T1,
      });
      expect(await tx((t) => t.updatePatient(v2, 1))).toBe(true);
      expect(await tx((t) => t.getPatient('p2'))).toEqual(v2);

      const stale = patient('p2', { displayName: 'Stale', careTeam: ['u1'], version: 2, updatedAt: T2 });
      expect(await tx((t) => t.updatePatient(stale, 1))).toBe(false);
      expect(await tx((t) => t.getPatient('p2'))).toEqual(v2);

      const v3 = { ...v2, careTeam: [], version: 3 };
      expect(await tx((t) => t.updatePatient(v3, 2))).toBe(true);
      expect(await tx((t) => t.getPatient('p2'))).toEqual(v3);
      // p1's (empty) care team was not touched by p2's updates.
      expect((await tx((t) => t.getPatient('p1')))?.careTeam).toEqual([]);
    });

    describe('listPatients', () => {
      beforeEach(async () => {
        await seed();
        await tx(async (t) => {
          await t.insertPatient(patient('x-100', { displayName: 'Bertha Benz', siteId: 's2', careTeam: ['u2'] }));
          await t.insertPatient(patient('x-101', { displayName: 'Anna 100% sure', siteId: 's1' }));
          await t.insertPatient(patient('x-102', { displayName: 'Carl_Cat', siteId: 's2' }));
          await t.insertPatient(patient('x-103', { displayName: 'CarlxCat', siteId: 's1' }));
          await t.insertPatient(patient('x-104', { displayName: 'Back\\slash', siteId: 's1' }));
          await t.insertPatient(patient('x-105', { displayName: 'Bertha Benz', siteId: 's1' }));
        });
      });
      const ids = (ps: PatientRecord[]) => ps.map((p) => p.id);

      it('no filter lists every patient by display name, then id, with care teams', async () => {
        const all = await tx((t) => t.listPatients({}));
        expect(ids(all)).toEqual(['x-101', 'x-104', 'x-100', 'x-105', 'x-102', 'x-103', 'p1']);
        expect(all.find((p) => p.id === 'x-100')).toEqual(
          patient('x-100', { displayName: 'Bertha Benz', siteId: 's2', careTeam: ['u2'] }),
        );
        expect(ids(await tx((t) => t.listPatients({ siteIds: undefined, search: '' })))).toEqual(ids(all));
      });

      it('siteIds: [] lists none; a list of sites only those', async () => {
        expect(await tx((t) => t.listPatients({ siteIds: [] }))).toEqual([]);
        expect(await tx((t) => t.listPatients({ siteIds: [], search: 'Bertha' }))).toEqual([]);
        expect(ids(await tx((t) => t.listPatients({ siteIds: ['s2'] })))).toEqual(['x-100', 'x-102']);
        expect(ids(await tx((t) => t.listPatients({ siteIds: ['s2', 's1'] })))).toHaveLength(7);
        expect(await tx((t) => t.listPatients({ siteIds: ['s9'] }))).toEqual([]);
      });

      it('search is case-insensitive on the name and the id', async () => {
        expect(ids(await tx((t) => t.listPatients({ search: 'BERTHA' })))).toEqual(['x-100', 'x-105']);
        expect(ids(await tx((t) => t.listPatients({ search: 'benz', siteIds: ['s1'] })))).toEqual(['x-105']);
        expect(ids(await tx((t) => t.listPatients({ search: 'ANNA' })))).toEqual(['x-101']);
        expect(ids(await tx((t) => t.listPatients({ search: 'X-10' })))).toEqual([
          'x-101',
          'x-104',
          'x-100',
          'x-105',
          'x-102',
          'x-103',
        ]);
        expect(ids(await tx((t) => t.listPatients({ search: '-103' })))).toEqual(['x-103']);
        expect(ids(await tx((t) => t.listPatients({ search: 'P1' })))).toEqual(['p1']);
        expect(await tx((t) => t.listPatients({ search: 'nobody' }))).toEqual([]);
      });

      it('search takes %, _ and \\ literally', async () => {
        expect(ids(await tx((t) => t.listPatients({ search: '%' })))).toEqual(['x-101']);
        expect(ids(await tx((t) => t.listPatients({ search: '0% s' })))).toEqual(['x-101']);
        // "_" would match any one character (CarlxCat) if it were a wildcard.
        expect(ids(await tx((t) => t.listPatients({ search: 'l_c' })))).toEqual(['x-102']);
        expect(ids(await tx((t) => t.listPatients({ search: '_' })))).toEqual(['x-102']);
        expect(ids(await tx((t) => t.listPatients({ search: '\\' })))).toEqual(['x-104']);
        expect(ids(await tx((t) => t.listPatients({ search: 'k\\s' })))).toEqual(['x-104']);
        expect(await tx((t) => t.listPatients({ search: '%%' }))).toEqual([]);
      });
    });
  });

  describe('sessions', () => {
    it('insert, get, delete one, delete all of a user', async () => {
      await tx(async (t) => {
        await t.insertUser(user('u1'));
        await t.insertUser(user('u2'));
      });
      const session = (idHash: string, userId: string): SessionRecord => ({
        idHash,
        userId,
        csrfToken: `csrf-${idHash}`,
        createdAt: T0,
        expiresAt: T1,
      });
      await tx(async (t) => {
        await t.insertSession(session('h1', 'u1'));
        await t.insertSession(session('h2', 'u1'));
        await t.insertSession(session('h3', 'u1'));
        await t.insertSession(session('h4', 'u2'));
      });
      expect(await tx((t) => t.getSession('h1'))).toEqual(session('h1', 'u1'));
      expect(await tx((t) => t.getSession('nope'))).toBeUndefined();

      await tx((t) => t.deleteSession('h1'));
      expect(await tx((t) => t.getSession('h1'))).toBeUndefined();
      expect(await tx((t) => t.getSession('h2'))).toEqual(session('h2', 'u1'));

      await tx((t) => t.deleteSessionsOfUser('u1'));
      expect(await tx((t) => t.getSession('h2'))).toBeUndefined();
      expect(await tx((t) => t.getSession('h3'))).toBeUndefined();
      expect(await tx((t) => t.getSession('h4'))).toEqual(session('h4', 'u2'));
      await tx((t) => t.deleteSession('h1')); // deleting a missing session is harmless
    });

    it('a session of a missing user is refused (foreign key)', async () => {
      await expect(
        tx((t) => t.insertSession({ idHash: 'h', userId: 'ghost', csrfToken: 'c', createdAt: T0, expiresAt: T1 })),
      ).rejects.toThrow();
      expect(await tx((t) => t.getSession('h'))).toBeUndefined();
    });
  });

  describe('API tokens', () => {
    const token = (id: string, userId: string, createdAt: string): ApiTokenRecord => ({
      id,
      userId,
      name: `name-${id}`,
      tokenHash: `hash-${id}`,
      createdAt,
      revokedAt: null,
    });

    beforeEach(async () => {
      await tx(async (t) => {
        await t.insertUser(user('u1'));
        await t.insertUser(user('u2'));
        await t.insertApiToken(token('t2', 'u1', T1));
        await t.insertApiToken(token('t1', 'u1', T0));
        await t.insertApiToken(token('t3', 'u2', T0));
      });
    });

    it('get by hash; list a user own tokens by creation time', async () => {
      expect(await tx((t) => t.getApiTokenByHash('hash-t1'))).toEqual(token('t1', 'u1', T0));
      expect(await tx((t) => t.getApiTokenByHash('t1'))).toBeUndefined();
      expect(await tx((t) => t.listApiTokens('u1'))).toEqual([token('t1', 'u1', T0), token('t2', 'u1', T1)]);
      expect(await tx((t) => t.listApiTokens('u2'))).toEqual([token('t3', 'u2', T0)]);
      expect(await tx((t) => t.listApiTokens('u3'))).toEqual([]);
    });

    it('revokes only once, and only the owner', async () => {
      expect(await tx((t) => t.revokeApiToken('t1', 'u2', T1))).toBe(false);
      expect((await tx((t) => t.getApiTokenByHash('hash-t1')))?.revokedAt).toBeNull();

      expect(await tx((t) => t.revokeApiToken('t1', 'u1', T1))).toBe(true);
      expect(await tx((t) => t.getApiTokenByHash('hash-t1'))).toEqual({ ...token('t1', 'u1', T0), revokedAt: T1 });

      // A second revocation changes nothing, not even the time.
      expect(await tx((t) => t.revokeApiToken('t1', 'u1', T2))).toBe(false);
      expect((await tx((t) => t.getApiTokenByHash('hash-t1')))?.revokedAt).toBe(T1);
      expect(await tx((t) => t.revokeApiToken('missing', 'u1', T2))).toBe(false);
      expect((await tx((t) => t.getApiTokenByHash('hash-t2')))?.revokedAt).toBeNull();
    });

    it('a token hash is unique', async () => {
      const error = await tx((t) => t.insertApiToken({ ...token('t9', 'u2', T2), tokenHash: 'hash-t1' })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DuplicateKeyError);
      expect(await tx((t) => t.listApiTokens('u2'))).toEqual([token('t3', 'u2', T0)]);
    });
  });

  describe('entries', () => {
    beforeEach(seed);

    it.each(ENTRY_KINDS)('%s: insert, get, update at the expected version, soft delete', async (kind) => {
      const e = entry(kind, 'e1', '2024-03-01', { endDate: '2024-03-02', instant: '2024-03-01T10:00:00.000Z' });
      await tx((t) => t.insertEntry(e));
      expect(await tx((t) => t.getEntry(kind, 'e1'))).toEqual(e);
      expect(await tx((t) => t.getEntry(kind, 'e2'))).toBeUndefined();
      // Each kind has a table of its own.
      for (const other of ENTRY_KINDS.filter((k) => k !== kind)) {
        expect(await tx((t) => t.getEntry(other, 'e1'))).toBeUndefined();
      }

      const v2: EntryRecord = { ...e, localDate: '2024-03-03', endDate: '2024-03-03', body: { x: 2 }, version: 2 };
      expect(await tx((t) => t.updateEntry({ ...v2, updatedAt: T1 }, 1))).toBe(true);
      expect(await tx((t) => t.getEntry(kind, 'e1'))).toEqual({ ...v2, updatedAt: T1 });
      expect(await tx((t) => t.updateEntry({ ...v2, body: { x: 'stale' } }, 1))).toBe(false);
      expect((await tx((t) => t.getEntry(kind, 'e1')))?.body).toEqual({ x: 2 });
      // Neither the owner nor the creation time change with an update.
      await tx((t) => t.insertPatient(patient('p2')));
      expect(await tx((t) => t.updateEntry({ ...v2, patientId: 'p2', version: 3 }, 2))).toBe(false);
      expect(await tx((t) => t.updateEntry({ ...v2, createdAt: T2, version: 3 }, 2))).toBe(true);
      expect((await tx((t) => t.getEntry(kind, 'e1')))?.createdAt).toBe(T0);

      const deleted = { ...v2, version: 4, deletedAt: T2, updatedAt: T2 };
      expect(await tx((t) => t.updateEntry(deleted, 3))).toBe(true);
      expect(await tx((t) => t.getEntry(kind, 'e1'))).toEqual(deleted);
      expect(await tx((t) => t.listEntries(kind, 'p1', {}))).toEqual([]);
    });

    it.each(ENTRY_KINDS)('%s: listEntries returns the live entries whose days meet the range', async (kind) => {
      await tx(async (t) => {
        await t.insertPatient(patient('p2'));
        await t.insertEntry(entry(kind, 'a', '2024-01-01', { endDate: '2024-01-03' }));
        await t.insertEntry(entry(kind, 'b', '2024-01-05'));
        await t.insertEntry(entry(kind, 'c', '2024-01-10', { endDate: '2024-01-12' }));
        await t.insertEntry(entry(kind, 'gone', '2024-01-05', { deletedAt: T1 }));
        await t.insertEntry(entry(kind, 'other', '2024-01-05', { patientId: 'p2' }));
      });
      const list = async (range: { from?: string; to?: string }) =>
        (await tx((t) => t.listEntries(kind, 'p1', range))).map((e) => e.id);
      expect(await list({})).toEqual(['a', 'b', 'c']);
      expect(await list({ from: '2024-01-03', to: '2024-01-05' })).toEqual(['a', 'b']);
      expect(await list({ from: '2024-01-04', to: '2024-01-04' })).toEqual([]);
      expect(await list({ from: '2024-01-02', to: '2024-01-02' })).toEqual(['a']);
      expect(await list({ from: '2024-01-11', to: '2024-01-20' })).toEqual(['c']);
      expect(await list({ from: '2023-12-01', to: '2023-12-31' })).toEqual([]);
      expect(await list({ from: '2024-01-13' })).toEqual([]);
      expect(await list({ from: '2024-01-12' })).toEqual(['c']);
      expect(await list({ from: '2024-01-04' })).toEqual(['b', 'c']);
      expect(await list({ to: '2024-01-01' })).toEqual(['a']);
      expect(await list({ to: '2024-01-09' })).toEqual(['a', 'b']);
      expect(await list({ to: '2024-01-10' })).toEqual(['a', 'b', 'c']);
      expect((await tx((t) => t.listEntries(kind, 'p2', {}))).map((e) => e.id)).toEqual(['other']);
      expect(await tx((t) => t.listEntries(kind, 'p9', {}))).toEqual([]);
      // Whole records come back.
      expect(await tx((t) => t.listEntries(kind, 'p1', { from: '2024-01-05', to: '2024-01-05' }))).toEqual([
        entry(kind, 'b', '2024-01-05'),
      ]);
    });

    it('listEntries orders by local date, then instant, then id', async () => {
      const kind = 'attack';
      await tx(async (t) => {
        await t.insertEntry(entry(kind, 'z', '2024-01-02', { instant: '2024-01-02T06:00:00.000Z' }));
        await t.insertEntry(entry(kind, 'y', '2024-01-02', { instant: '2024-01-02T05:00:00.000Z' }));
        await t.insertEntry(entry(kind, 'b', '2024-01-02', { instant: '2024-01-02T07:00:00.000Z' }));
        await t.insertEntry(entry(kind, 'a', '2024-01-02', { instant: '2024-01-02T07:00:00.000Z' }));
        await t.insertEntry(
          entry(kind, 'x', '2024-01-01', { endDate: '2024-01-03', instant: '2024-01-01T23:00:00.000Z' }),
        );
        await t.insertEntry(entry(kind, 'm', '2024-01-03', { instant: '2024-01-03T01:00:00.000Z' }));
      });
      expect((await tx((t) => t.listEntries(kind, 'p1', {}))).map((e) => e.id)).toEqual(['x', 'y', 'z', 'a', 'b', 'm']);
    });

    // Without NULLS FIRST, PostgreSQL would put them last and SQLite first.
    it('entries without an instant sort the same way on every database (before those with one)', async () => {
      // A medication logged with only a date has no instant; one with takenAt has.
      const kind = 'medication';
      await tx(async (t) => {
        await t.insertEntry(entry(kind, 'timed', '2024-01-02', { instant: '2024-01-02T08:00:00.000Z' }));
        await t.insertEntry(entry(kind, 'untimed', '2024-01-02'));
      });
      expect((await tx((t) => t.listEntries(kind, 'p1', {}))).map((e) => e.id)).toEqual(['untimed', 'timed']);
    });

    it.each(ENTRY_KINDS)('%s: findLiveEntryOnDate ignores deleted entries, other days and patients', async (kind) => {
      await tx(async (t) => {
        await t.insertPatient(patient('p2'));
        await t.insertEntry(entry(kind, 'gone', '2024-01-05', { deletedAt: T1 }));
        await t.insertEntry(entry(kind, 'other-patient', '2024-01-06', { patientId: 'p2' }));
        await t.insertEntry(entry(kind, 'span', '2024-01-06', { endDate: '2024-01-08' }));
      });
      expect(await tx((t) => t.findLiveEntryOnDate(kind, 'p1', '2024-01-05'))).toBeUndefined();
      expect(await tx((t) => t.findLiveEntryOnDate(kind, 'p1', '2024-01-06'))).toEqual(
        entry(kind, 'span', '2024-01-06', { endDate: '2024-01-08' }),
      );
      // Only the first day counts.
      expect(await tx((t) => t.findLiveEntryOnDate(kind, 'p1', '2024-01-07'))).toBeUndefined();
      expect((await tx((t) => t.findLiveEntryOnDate(kind, 'p2', '2024-01-06')))?.id).toBe('other-patient');

      await tx((t) => t.insertEntry(entry(kind, 'new', '2024-01-05')));
      expect((await tx((t) => t.findLiveEntryOnDate(kind, 'p1', '2024-01-05')))?.id).toBe('new');
    });

    it('one live daily record per patient and day: a second is a DuplicateKeyError, after a delete it is allowed', async () => {
      const kind = 'daily-record';
      await tx((t) => t.insertEntry(entry(kind, 'd1', '2024-01-05')));
      const error = await tx((t) => t.insertEntry(entry(kind, 'd2', '2024-01-05'))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateKeyError);
      expect(await tx((t) => t.getEntry(kind, 'd2'))).toBeUndefined();

      // Attacks have no such rule.
      await tx(async (t) => {
        await t.insertEntry(entry('attack', 'a1', '2024-01-05'));
        await t.insertEntry(entry('attack', 'a2', '2024-01-05'));
      });

      await tx((t) => t.updateEntry(entry(kind, 'd1', '2024-01-05', { deletedAt: T1, version: 2 }), 1));
      await tx((t) => t.insertEntry(entry(kind, 'd2', '2024-01-05')));
      expect((await tx((t) => t.listEntries(kind, 'p1', {}))).map((e) => e.id)).toEqual(['d2']);
    });

    it('an entry of a missing patient is refused (foreign keys on SQLite too)', async () => {
      const error = await tx((t) => t.insertEntry(entry('attack', 'e1', '2024-01-01', { patientId: 'ghost' }))).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(DuplicateKeyError);
      expect(String((error as Error).message)).toMatch(/foreign key/i);
      expect(await tx((t) => t.getEntry('attack', 'e1'))).toBeUndefined();
    });
  });

  describe('transactions and constraints', () => {
    it('an error inside transaction() rolls back everything it wrote, and is rethrown as is', async () => {
      const boom = new Error('boom');
      const thrown = await store
        .transaction(async (t) => {
          await t.insertSite(site('s1'));
          await t.insertUser(user('u1'));
          await t.setMemberships('u1', ['s1']);
          await t.appendAudit([
            {
              at: T0,
              actorUserId: 'u1',
              actorRole: 'clinician',
              action: 'test',
              patientId: null,
              entityType: null,
              entityId: null,
              requestId: null,
              outcome: 'ok',
            },
          ]);
          expect(await t.countUsers()).toBe(1); // visible inside the transaction
          throw boom;
        })
        .catch((e: unknown) => e);
      expect(thrown).toBe(boom);
      expect(await tx((t) => t.countUsers())).toBe(0);
      expect(await tx((t) => t.listSites())).toEqual([]);
      expect(await tx((t) => t.membershipsOf('u1'))).toEqual([]);
      expect(await tx((t) => t.readAudit(0, 10))).toEqual([]);
      expect(await tx((t) => t.auditHead())).toEqual({ seq: 0, hash: '0'.repeat(64) });
      // The store still works afterwards.
      await tx((t) => t.insertSite(site('s1')));
      expect((await tx((t) => t.listSites())).map((s) => s.id)).toEqual(['s1']);
    });

    const auditEvent = (action: string) => ({
      at: T0,
      actorUserId: 'u1',
      actorRole: 'clinician' as const,
      action,
      patientId: null,
      entityType: null,
      entityId: null,
      requestId: null,
      outcome: 'ok' as const,
    });

    it('transactions started in one tick commit together; one that fails rolls back only its own writes', async () => {
      await tx((t) => t.insertSite(site('s0')));
      const boom = new Error('boom');
      const seenByOthers: unknown[] = [];
      const results = await Promise.allSettled([
        store.transaction(async (t) => {
          await t.insertSite(site('g1'));
          await t.appendAudit([auditEvent('first')]);
          return 'first';
        }),
        store.transaction(async (t) => {
          // The first unit's writes are visible here, in the same database transaction, but not
          // yet to another connection: they are committed together, later.
          seenByOthers.push((await t.getSite('g1'))?.id, await store.read((r) => r.getSite('g1')));
          await t.insertSite(site('g2'));
          await t.insertUser(user('gu'));
          await t.setMemberships('gu', ['g1', 'g2']);
          await t.appendAudit([auditEvent('thrown')]);
          throw boom;
        }),
        store.transaction(async (t) => {
          await t.insertSite(site('g3'));
          await t.insertSite(site('s0')); // a database error half-way: a DuplicateKeyError
        }),
        store.transaction(async (t) => {
          await t.insertSite(site('g4'));
          await t.appendAudit([auditEvent('fourth')]);
          return (await t.getSite('g2'))?.id ?? 'no g2';
        }),
      ]);
      expect(results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).toEqual([
        'first',
        boom,
        expect.any(DuplicateKeyError),
        'no g2',
      ]);
      expect((results[1] as PromiseRejectedResult).reason).toBe(boom);
      expect(seenByOthers).toEqual(['g1', undefined]);
      expect((await tx((t) => t.listSites())).map((x) => x.id)).toEqual(['g1', 'g4', 's0']);
      expect(await tx((t) => t.countUsers())).toBe(0);
      expect(await tx((t) => t.membershipsOf('gu'))).toEqual([]);
      const audit = await tx((t) => t.readAudit(0, 10));
      expect(audit.map((r) => [r.seq, r.action])).toEqual([
        [1, 'first'],
        [2, 'fourth'],
      ]);
      expect(audit[1]!.prevHash).toBe(audit[0]!.hash);
      expect(await tx((t) => t.auditHead())).toEqual({ seq: 2, hash: audit[1]!.hash });
    });

    // The nested call would wait for the batch that waits for it: it must fail at once instead.
    it('store.transaction() inside a transaction rejects at once; the store keeps working', async () => {
      let inner: unknown;
      const outer = await store.transaction(async (t) => {
        await t.insertSite(site('outer'));
        inner = await store.transaction((t2) => t2.insertSite(site('inner'))).catch((e: unknown) => e);
        return 'outer done';
      });
      expect(outer).toBe('outer done');
      expect(inner).toBeInstanceOf(Error);
      expect((inner as Error).message).toContain('inside a transaction');
      expect((await tx((t) => t.listSites())).map((x) => x.id)).toEqual(['outer']);

      // Left uncaught, it fails the outer transaction, which rolls back.
      const failed = await store
        .transaction(async (t) => {
          await t.insertSite(site('outer-2'));
          await store.transaction((t2) => t2.insertSite(site('inner-2')));
        })
        .catch((e: unknown) => e);
      expect((failed as Error).message).toContain('inside a transaction');
      expect((await tx((t) => t.listSites())).map((x) => x.id)).toEqual(['outer']);
      // Later transactions, alone or together, go through.
      await Promise.all([tx((t) => t.insertSite(site('after-1'))), tx((t) => t.insertSite(site('after-2')))]);
      expect((await tx((t) => t.listSites())).map((x) => x.id)).toEqual(['after-1', 'after-2', 'outer']);
    }, 10_000);

    it('a transaction returns what its work returns', async () => {
      expect(await store.transaction(() => Promise.resolve(42))).toBe(42);
    });

    it.each([
      ['a user id', (t: StoreTx) => t.insertUser(user('u1', { username: 'other' }))],
      ['a username', (t: StoreTx) => t.insertUser(user('u2', { username: 'u1' }))],
      ['a site id', (t: StoreTx) => t.insertSite(site('s1'))],
      ['a patient id', (t: StoreTx) => t.insertPatient(patient('p1'))],
      ['a patient login', (t: StoreTx) => t.insertPatient(patient('p2', { userId: 'u1' }))],
      ['an entry id', (t: StoreTx) => t.insertEntry(entry('questionnaire', 'q1', '2024-02-02'))],
      [
        'a session id',
        (t: StoreTx) => t.insertSession({ idHash: 'h1', userId: 'u1', csrfToken: 'x', createdAt: T0, expiresAt: T1 }),
      ],
    ])('a repeated %s is a DuplicateKeyError; the transaction is rolled back', async (_what, write) => {
      await tx(async (t) => {
        await t.insertSite(site('s1'));
        await t.insertUser(user('u1'));
        await t.insertPatient(patient('p1', { userId: 'u1' }));
        await t.insertEntry(entry('questionnaire', 'q1', '2024-01-01'));
        await t.insertSession({ idHash: 'h1', userId: 'u1', csrfToken: 'c', createdAt: T0, expiresAt: T1 });
      });
      const error = await store
        .transaction(async (t) => {
          await t.insertSite(site('s-before'));
          await write(t);
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DuplicateKeyError);
      expect((error as DuplicateKeyError).message).toBe('duplicate key');
      expect((error as DuplicateKeyError).cause).toBeDefined();
      expect(await tx((t) => t.getSite('s-before'))).toBeUndefined();
      expect(await tx((t) => t.countUsers())).toBe(1);
      expect(await tx((t) => t.getUserById('u1'))).toEqual(user('u1'));
      expect(await tx((t) => t.getEntry('questionnaire', 'q1'))).toEqual(entry('questionnaire', 'q1', '2024-01-01'));
    });
  });

  describe('migrations', () => {
    it('run once: opening the database again runs nothing', async () => {
      expect(await migrateToLatest(store.db)).toEqual([]);
      const second = await openStore(config);
      try {
        expect(await migrateToLatest(second.db)).toEqual([]);
        const ran = await sql<{ name: string }>`select name from relief_migrations order by name`.execute(second.db);
        expect(ran.rows).toEqual([
          { name: '0001_initial' },
          { name: '0002_registry' },
          { name: '0003_cohort_columns' },
          { name: '0004_patient_preferences' },
        ]);
        // The audit head was seeded once.
        const heads = await sql<{ n: number | string }>`select count(*) as n from audit_head`.execute(second.db);
        expect(Number(heads.rows[0]?.n)).toBe(1);
      } finally {
        await second.close();
      }
    });

    it('migrate: false leaves an empty database alone; migrateToLatest then runs each migration once', async () => {
      const other = await db.fresh();
      const bare = await openStore(other.config, { migrate: false });
      try {
        const before = await sql<{ n: number | string }>`select count(*) as n from ${sql.raw(
          db.name === 'sqlite' ? 'sqlite_master' : 'information_schema.tables',
        )} where ${sql.raw(db.name === 'sqlite' ? "type = 'table'" : "table_schema = 'public'")}`.execute(bare.db);
        expect(Number(before.rows[0]?.n)).toBe(0);
        expect(await migrateToLatest(bare.db)).toEqual([
          '0001_initial',
          '0002_registry',
          '0003_cohort_columns',
          '0004_patient_preferences',
        ]);
        expect(await migrateToLatest(bare.db)).toEqual([]);
        expect(await bare.transaction((t) => t.auditHead())).toEqual({ seq: 0, hash: '0'.repeat(64) });
      } finally {
        await closeAndDrop(bare, other.config, other.drop);
      }
    });
  });

  it.runIf(db.name === 'sqlite')(
    'SQLite runs in WAL mode with synchronous=FULL, foreign keys and a busy timeout',
    async () => {
      const pragma = async (name: string) =>
        (await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(store.db)).rows;
      expect(await pragma('journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      expect(await pragma('synchronous')).toEqual([{ synchronous: 2 }]);
      expect(await pragma('foreign_keys')).toEqual([{ foreign_keys: 1 }]);
      expect(await pragma('busy_timeout')).toEqual([{ timeout: 5000 }]);
    },
  );

  describe('concurrent diary writes through the services', () => {
    const attack = (id: string) => ({
      id,
      start: '2024-03-01T08:00:00+01:00',
      end: '2024-03-01T12:00:00+01:00',
      peakIntensity: 6,
    });

    beforeEach(seed);

    it('20 concurrent PUTs of one new id: one created, 19 unchanged, one row, an intact audit chain', async () => {
      const services = createServices(store);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => services.diary.put(ADMIN, 'attack', 'p1', 'same', attack('same'), undefined)),
      );
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual(['created', ...Array<string>(19).fill('unchanged')]);
      for (const r of results)
        expect(r.record).toMatchObject({ id: 'same', patientId: 'p1', version: 1, data: attack('same') });

      const stored = await tx((t) => t.listEntries('attack', 'p1', {}));
      expect(stored.map((e) => [e.id, e.version, e.localDate, e.endDate, e.instant])).toEqual([
        ['same', 1, '2024-03-01', '2024-03-01', '2024-03-01T07:00:00.000Z'],
      ]);

      const verification = await services.audit.verify();
      expect(verification.problems).toEqual([]);
      expect(verification.rows).toBe(20);
      expect(verification.lastSeq).toBe(20);
      const rows = await tx((t) => t.readAudit(0, 100));
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(rows.map((r) => r.outcome).sort()).toEqual(['ok', ...Array<string>(19).fill('unchanged')]);
      expect(new Set(rows.map((r) => `${r.action} ${r.entityId} ${r.patientId} ${r.requestId}`))).toEqual(
        new Set(['attack.put same p1 req-1']),
      );
    });

    it('20 concurrent PUTs of different ids: 20 rows, 20 audit rows in one intact chain', async () => {
      const services = createServices(store);
      const ids = Array.from({ length: 20 }, (_, i) => `a-${String(i).padStart(2, '0')}`);
      const results = await Promise.all(
        ids.map((id) => services.diary.put(ADMIN, 'attack', 'p1', id, attack(id), undefined)),
      );
      expect(results.map((r) => r.status)).toEqual(Array<string>(20).fill('created'));
      expect((await tx((t) => t.listEntries('attack', 'p1', {}))).map((e) => e.id)).toEqual(ids);

      const verification = await services.audit.verify();
      expect(verification).toEqual({
        rows: 20,
        lastSeq: 20,
        lastHash: (await tx((t) => t.auditHead()))!.hash,
        problems: [],
      });
      const rows = await tx((t) => t.readAudit(0, 100));
      expect(rows.map((r) => r.entityId).sort()).toEqual(ids);
      expect(new Set(rows.map((r) => r.outcome))).toEqual(new Set(['ok']));
    });

    it('20 concurrent PUTs of one new daily record: one created, one row', async () => {
      const services = createServices(store);
      const body = { date: '2024-03-02', noHeadache: true };
      const results = await Promise.all(
        Array.from({ length: 20 }, () => services.diary.put(ADMIN, 'daily-record', 'p1', 'day', body, undefined)),
      );
      expect(results.filter((r) => r.status === 'created')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'unchanged')).toHaveLength(19);
      expect((await tx((t) => t.listEntries('daily-record', 'p1', {}))).map((e) => e.id)).toEqual(['day']);
      const verification = await services.audit.verify();
      expect(verification.problems).toEqual([]);
      expect(verification.rows).toBe(20);
    });
  });
});
