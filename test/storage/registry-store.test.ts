import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '../../src/services/errors.js';
import type { PatientRecord } from '../../src/services/model.js';
import type { StoreTx } from '../../src/services/ports.js';
import type { CandidacyRecord, RegistryRecord, SiteSettingsRecord } from '../../src/services/registry-model.js';
import type { DatabaseConfig } from '../../src/storage/database-config.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { testDatabases } from '../helpers/databases.js';
import { closeAndDrop } from './close-and-drop.js';

const T0 = '2024-01-01T00:00:00.000Z';
const T1 = '2024-01-02T00:00:00.000Z';
const T2 = '2024-01-03T00:00:00.000Z';

function patient(id: string, siteId: string): PatientRecord {
  return {
    id,
    siteId,
    userId: null,
    displayName: `Patient ${id}`,
    birthYear: null,
    sex: null,
    timeZone: 'Europe/Paris',
    conditions: ['migraine'],
    referenceDate: null,
    careTeam: [],
    version: 1,
    createdAt: T0,
    updatedAt: T0,
  };
}

const PROCEDURE: RegistryRecord = {
  id: 'proc-1',
  patientId: 'p1',
  kind: 'procedure',
  startDate: '2024-03-01',
  endDate: null,
  category: 'fat-transfer',
  siteId: 's1',
  surgeon: 'S01',
  procedureId: null,
  body: {
    type: 'fat-transfer',
    date: '2024-03-01',
    surgeon: 'S01',
    siteId: 's1',
    recipientSites: [{ site: 'occipital' }],
  },
  version: 1,
  createdAt: T0,
  updatedAt: T0,
  deletedAt: null,
};

const TREATMENT: RegistryRecord = {
  id: 'treat-1',
  patientId: 'p1',
  kind: 'treatment',
  startDate: '2023-06-01',
  endDate: '2023-12-01',
  category: 'oral-preventive',
  siteId: null,
  surgeon: null,
  procedureId: null,
  body: { type: 'oral-preventive', drug: 'propranolol', preventiveClass: 'beta-blocker', start: '2023-06-01' },
  version: 1,
  createdAt: T0,
  updatedAt: T0,
  deletedAt: null,
};

const EVENT: RegistryRecord = {
  id: 'ae-1',
  patientId: 'p1',
  kind: 'adverse-event',
  startDate: '2024-03-05',
  endDate: null,
  category: 'II',
  siteId: null,
  surgeon: null,
  procedureId: 'proc-1',
  body: { term: 'infection', onset: '2024-03-05', grade: 'II', relation: 'related', procedureId: 'proc-1' },
  version: 1,
  createdAt: T0,
  updatedAt: T0,
  deletedAt: null,
};

describe.each(testDatabases())('registry store on $name', (db) => {
  let config: DatabaseConfig;
  let drop: () => Promise<void>;
  let store: KyselyStore;
  const tx = <T>(work: (t: StoreTx) => Promise<T>) => store.transaction(work);

  beforeEach(async () => {
    ({ config, drop } = await db.fresh());
    store = await openStore(config);
    await tx(async (t) => {
      for (const id of ['s1', 's2']) {
        await t.insertSite({ id, name: `Site ${id}`, version: 1, createdAt: T0, updatedAt: T0 });
      }
      await t.insertPatient(patient('p1', 's1'));
      await t.insertPatient(patient('p2', 's2'));
    });
  });

  afterEach(async () => {
    await closeAndDrop(store, config, drop);
  });

  describe('records', () => {
    it('inserts and reads back each kind with every column and the body as written', async () => {
      await tx(async (t) => {
        await t.insertRecord(PROCEDURE);
        await t.insertRecord(TREATMENT);
        await t.insertRecord(EVENT);
      });
      expect(await tx((t) => t.getRecord('procedure', 'proc-1'))).toEqual(PROCEDURE);
      expect(await tx((t) => t.getRecord('treatment', 'treat-1'))).toEqual(TREATMENT);
      expect(await tx((t) => t.getRecord('adverse-event', 'ae-1'))).toEqual(EVENT);
    });

    it('getRecord finds an id under its own kind only, and nothing for an unknown id', async () => {
      await tx((t) => t.insertRecord(PROCEDURE));
      expect(await tx((t) => t.getRecord('treatment', 'proc-1'))).toBeUndefined();
      expect(await tx((t) => t.getRecord('procedure', 'nope'))).toBeUndefined();
    });

    it('refuses a second record under an id already used, whatever its kind', async () => {
      await tx((t) => t.insertRecord(PROCEDURE));
      await expect(tx((t) => t.insertRecord({ ...TREATMENT, id: 'proc-1' }))).rejects.toBeInstanceOf(DuplicateKeyError);
    });

    it('refuses a procedure at a site that does not exist', async () => {
      await expect(tx((t) => t.insertRecord({ ...PROCEDURE, siteId: 'nowhere' }))).rejects.toThrow();
      expect(await tx((t) => t.getRecord('procedure', 'proc-1'))).toBeUndefined();
    });

    it('getRecord returns a deleted record with its deletion time', async () => {
      await tx((t) => t.insertRecord({ ...TREATMENT, deletedAt: T1, version: 2 }));
      expect(await tx((t) => t.getRecord('treatment', 'treat-1'))).toEqual({ ...TREATMENT, deletedAt: T1, version: 2 });
    });

    it('updateRecord writes every column when the version matches, and nothing otherwise', async () => {
      await tx((t) => t.insertRecord(EVENT));
      const resolved: RegistryRecord = {
        ...EVENT,
        startDate: '2024-03-06',
        endDate: '2024-03-20',
        category: 'IIIa',
        procedureId: null,
        body: { term: 'infection', onset: '2024-03-06', resolved: '2024-03-20', grade: 'IIIa', relation: 'related' },
        version: 2,
        updatedAt: T1,
      };
      expect(await tx((t) => t.updateRecord(resolved, 1))).toBe(true);
      expect(await tx((t) => t.getRecord('adverse-event', 'ae-1'))).toEqual(resolved);

      const stale = { ...resolved, category: 'V', version: 3, updatedAt: T2 };
      expect(await tx((t) => t.updateRecord(stale, 1))).toBe(false);
      expect(await tx((t) => t.getRecord('adverse-event', 'ae-1'))).toEqual(resolved);
    });

    it('updateRecord keeps the creation time, and touches no record of another kind or patient', async () => {
      await tx(async (t) => {
        await t.insertRecord(PROCEDURE);
        await t.insertRecord({ ...TREATMENT, id: 'treat-2', patientId: 'p2' });
      });
      const moved = { ...PROCEDURE, createdAt: T2, updatedAt: T1, version: 2, startDate: '2024-03-02' };
      expect(await tx((t) => t.updateRecord(moved, 1))).toBe(true);
      expect(await tx((t) => t.getRecord('procedure', 'proc-1'))).toEqual({ ...moved, createdAt: T0 });
      // Same id, other patient or other kind: not this record.
      expect(await tx((t) => t.updateRecord({ ...TREATMENT, id: 'treat-2', version: 2 }, 1))).toBe(false);
      expect(await tx((t) => t.updateRecord({ ...PROCEDURE, kind: 'treatment', version: 3 }, 2))).toBe(false);
      expect((await tx((t) => t.getRecord('treatment', 'treat-2')))?.patientId).toBe('p2');
    });

    it('updateRecord can mark a record deleted and bring it back', async () => {
      await tx((t) => t.insertRecord(TREATMENT));
      expect(await tx((t) => t.updateRecord({ ...TREATMENT, version: 2, deletedAt: T1, updatedAt: T1 }, 1))).toBe(true);
      expect((await tx((t) => t.getRecord('treatment', 'treat-1')))?.deletedAt).toBe(T1);
      expect(await tx((t) => t.updateRecord({ ...TREATMENT, version: 3, deletedAt: null, updatedAt: T2 }, 2))).toBe(
        true,
      );
      expect(await tx((t) => t.getRecord('treatment', 'treat-1'))).toEqual({ ...TREATMENT, version: 3, updatedAt: T2 });
    });

    it('listRecords: live records of one patient, of one kind or all, by start date then id', async () => {
      const treatment = (id: string, startDate: string, extra: Partial<RegistryRecord> = {}): RegistryRecord => ({
        ...TREATMENT,
        id,
        startDate,
        ...extra,
      });
      await tx(async (t) => {
        await t.insertRecord(PROCEDURE); // 2024-03-01
        await t.insertRecord(EVENT); // 2024-03-05
        await t.insertRecord(treatment('t-b', '2023-06-01'));
        await t.insertRecord(treatment('t-a', '2023-06-01'));
        await t.insertRecord(treatment('t-c', '2022-01-01'));
        await t.insertRecord(treatment('t-deleted', '2021-01-01', { deletedAt: T1, version: 2 }));
        await t.insertRecord(treatment('t-other', '2020-01-01', { patientId: 'p2' }));
      });
      const ids = (records: RegistryRecord[]) => records.map((r) => r.id);
      expect(ids(await tx((t) => t.listRecords('p1', 'treatment')))).toEqual(['t-c', 't-a', 't-b']);
      expect(ids(await tx((t) => t.listRecords('p1')))).toEqual(['t-c', 't-a', 't-b', 'proc-1', 'ae-1']);
      expect(ids(await tx((t) => t.listRecords('p1', 'procedure')))).toEqual(['proc-1']);
      expect(await tx((t) => t.listRecords('p1', 'adverse-event'))).toEqual([EVENT]);
      expect(ids(await tx((t) => t.listRecords('p2')))).toEqual(['t-other']);
      expect(await tx((t) => t.listRecords('p3'))).toEqual([]);
    });
  });

  describe('candidacy assessments', () => {
    const ASSESSMENT: CandidacyRecord = {
      patientId: 'p1',
      body: { diagnosis: { confirmed: true, code: '1.3' }, contraindications: { pregnancy: false } },
      version: 1,
      createdAt: T0,
      updatedAt: T0,
    };

    it('none until written; inserted with a null expected version; read back exactly', async () => {
      expect(await tx((t) => t.getCandidacyAssessment('p1'))).toBeUndefined();
      expect(await tx((t) => t.putCandidacyAssessment(ASSESSMENT, null))).toBe(true);
      expect(await tx((t) => t.getCandidacyAssessment('p1'))).toEqual(ASSESSMENT);
      expect(await tx((t) => t.getCandidacyAssessment('p2'))).toBeUndefined();
    });

    it('a second insert is a duplicate key', async () => {
      await tx((t) => t.putCandidacyAssessment(ASSESSMENT, null));
      await expect(tx((t) => t.putCandidacyAssessment(ASSESSMENT, null))).rejects.toBeInstanceOf(DuplicateKeyError);
    });

    it('updates body, version and update time at the expected version only, keeping the creation time', async () => {
      await tx((t) => t.putCandidacyAssessment(ASSESSMENT, null));
      const next = { ...ASSESSMENT, body: { contraindications: {} }, version: 2, createdAt: T2, updatedAt: T1 };
      expect(await tx((t) => t.putCandidacyAssessment(next, 1))).toBe(true);
      expect(await tx((t) => t.getCandidacyAssessment('p1'))).toEqual({ ...next, createdAt: T0 });
      expect(await tx((t) => t.putCandidacyAssessment({ ...next, version: 3, body: { x: 1 } }, 1))).toBe(false);
      expect((await tx((t) => t.getCandidacyAssessment('p1')))?.version).toBe(2);
      // Another patient's row is not touched by an update naming it.
      expect(await tx((t) => t.putCandidacyAssessment({ ...next, patientId: 'p2', version: 2 }, 1))).toBe(false);
      expect(await tx((t) => t.getCandidacyAssessment('p2'))).toBeUndefined();
    });
  });

  describe('site settings', () => {
    const SETTINGS: SiteSettingsRecord = {
      siteId: 's1',
      body: { followUp: [{ id: 'm3', months: 3 }], contraindications: [], candidacy: { minPreventiveClasses: 3 } },
      version: 1,
      updatedAt: T0,
    };

    it('none until written; inserted with a null expected version; read back exactly', async () => {
      expect(await tx((t) => t.getSiteSettings('s1'))).toBeUndefined();
      expect(await tx((t) => t.putSiteSettings(SETTINGS, null))).toBe(true);
      expect(await tx((t) => t.getSiteSettings('s1'))).toEqual(SETTINGS);
      expect(await tx((t) => t.getSiteSettings('s2'))).toBeUndefined();
    });

    it('refuses settings of a site that does not exist, and a second insert', async () => {
      await expect(tx((t) => t.putSiteSettings({ ...SETTINGS, siteId: 'nowhere' }, null))).rejects.toThrow();
      await tx((t) => t.putSiteSettings(SETTINGS, null));
      await expect(tx((t) => t.putSiteSettings(SETTINGS, null))).rejects.toBeInstanceOf(DuplicateKeyError);
    });

    it('updates at the expected version only', async () => {
      await tx((t) => t.putSiteSettings(SETTINGS, null));
      const next = { ...SETTINGS, body: { contraindications: [{ id: 'x', label: 'X' }] }, version: 2, updatedAt: T1 };
      expect(await tx((t) => t.putSiteSettings(next, 1))).toBe(true);
      expect(await tx((t) => t.getSiteSettings('s1'))).toEqual(next);
      expect(await tx((t) => t.putSiteSettings({ ...next, version: 3, updatedAt: T2 }, 1))).toBe(false);
      expect(await tx((t) => t.getSiteSettings('s1'))).toEqual(next);
    });
  });
});
