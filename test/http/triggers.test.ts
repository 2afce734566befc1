import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeDiary } from '../../src/domain/analysis.js';
import { DEFAULT_TRIGGER_CONFIG } from '../../src/domain/config.js';
import { diarySchema } from '../../src/domain/diary.js';
import { analysisResponseSchema } from '../../src/http/analysis-schema.js';
import { DiaryImportService } from '../../src/services/bulk-import.js';
import { generateTriggerDiary } from '../../src/synthetic/trigger-diary-generator.js';
import {
  addPatient,
  addSite,
  addUser,
  bearer,
  json,
  SEEDER,
  startApi,
  type SeededUser,
  type TestApi,
} from '../helpers/api.js';
import { testDatabases } from '../helpers/databases.js';

/** A 200-day diary with one true trigger and recorded periods, in UTC. */
const DIARY = generateTriggerDiary({
  seed: 4,
  startDate: '2024-01-01',
  days: 200,
  factors: [
    { name: 'wine', kind: 'yes-no', prevalence: 0.25, oddsRatio: 3 },
    { name: 'stress', kind: 'ordinal', prevalence: 0.3, oddsRatio: 1 },
  ],
  menstruation: { cycleLength: 28, oddsRatio: 3 },
});
const NOW = '2024-08-01T12:00:00Z';

describe.each(testDatabases())('the personal trigger analysis through the API on $name', (db) => {
  let api: TestApi;
  let clinician: SeededUser;

  beforeAll(async () => {
    api = await startApi(db);
    await addSite(api.services, 'site-t');
    await addPatient(api.services, 'pt', 'site-t', { timeZone: 'UTC' });
    clinician = await addUser(api.services, { username: 'clin-t', role: 'clinician', siteIds: ['site-t'] });
    await new DiaryImportService(api.store, () => new Date(NOW)).importEntries(
      SEEDER,
      'pt',
      DIARY.dailyRecords.map((r) => ({ kind: 'daily-record' as const, id: `d${r.date}`, body: r })),
    );
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const analysis = (query: Record<string, string>) =>
    api.app.inject({
      method: 'GET',
      url: '/api/v1/patients/pt/analysis',
      query: { now: NOW, ...query },
      headers: bearer(clinician.token),
    });

  it('returns triggers[] as the core computes them from the same diary', async () => {
    const res = await analysis({});
    expect(res.statusCode, res.body).toBe(200);
    const body = json(res);
    // The answer is what the OpenAPI document says: every trigger field, the analysis' keys.
    expect(analysisResponseSchema.safeParse(body).error).toBeUndefined();
    const expected = analyzeDiary(diarySchema.parse(DIARY), { now: Date.parse(NOW) });
    expect(body.triggers).toEqual(JSON.parse(JSON.stringify(expected.triggers)));
    expect(body.triggers.map((t: { factor: string; lag: number }) => `${t.factor}/${t.lag}`)).toEqual([
      'wine/1',
      'wine/0',
      'stress/1',
      'stress/0',
    ]);
    expect(body.triggerAnalysis.adjustedForMenstruation).toBe(false);
  });

  it('adjustForMenstruation=true adjusts for perimenstrual days; other values are refused', async () => {
    const res = await analysis({ adjustForMenstruation: 'true' });
    expect(res.statusCode, res.body).toBe(200);
    const body = json(res);
    const expected = analyzeDiary(diarySchema.parse(DIARY), {
      now: Date.parse(NOW),
      config: { triggers: { ...DEFAULT_TRIGGER_CONFIG, adjustForMenstruation: true } },
    });
    expect(analysisResponseSchema.safeParse(body).error).toBeUndefined();
    expect(body.triggerAnalysis.adjustedForMenstruation).toBe(true);
    expect(body.triggers).toEqual(JSON.parse(JSON.stringify(expected.triggers)));
    expect(body.triggers[0]).toMatchObject({ factor: 'wine', lag: 1, adjustedForMenstruation: true });

    expect(json(await analysis({ adjustForMenstruation: 'false' })).triggerAnalysis.adjustedForMenstruation).toBe(
      false,
    );
    const bad = await analysis({ adjustForMenstruation: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).error.issues.map((i: { path: string }) => i.path)).toEqual(['query.adjustForMenstruation']);
  });

  it('the schema refuses an answer that drifts from it', async () => {
    const body = json(await analysis({}));
    const drifted = { ...body, triggers: [{ ...body.triggers[0], oddsRatio: 'high' }] };
    expect(analysisResponseSchema.safeParse(drifted).error?.issues.map((i) => i.path.join('.'))).toEqual([
      'triggers.0.oddsRatio',
    ]);
    const extra = { ...body, triggerAnalysis: { ...body.triggerAnalysis, power: 0.8 } };
    expect(analysisResponseSchema.safeParse(extra).success).toBe(false);
  });

  it('the OpenAPI document describes the analysis and every trigger field', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const operation = json(res).paths['/api/v1/patients/{patientId}/analysis'].get;
    const schema = operation.responses['200'].content['application/json'].schema;
    expect(Object.keys(schema.properties)).toEqual([
      'patient',
      'asOf',
      'span',
      'months',
      'periodAnchor',
      'periods28',
      'attacks',
      'classification',
      'medicationOveruse',
      'outcomes',
      'questionnaires',
      'triggers',
      'triggerAnalysis',
      'warnings',
      'config',
    ]);
    const trigger = schema.properties.triggers.items;
    expect(Object.keys(trigger.properties)).toEqual([
      'factor',
      'lag',
      'atRiskDays',
      'exposedDays',
      'onsets',
      'exposedOnsets',
      'oddsRatio',
      'ciLower',
      'ciUpper',
      'p',
      'q',
      'verdict',
      'reason',
      'lowPower',
      'possiblyPremonitory',
      'adjustedForMenstruation',
    ]);
    expect(trigger.required).not.toContain('reason');
    expect(trigger.properties.verdict.enum).toEqual(['trigger', 'protector', 'no-association', 'insufficient-data']);
    expect(Object.keys(schema.properties.triggerAnalysis.properties)).toEqual([
      'recordedDays',
      'atRiskDays',
      'onsets',
      'continuationDays',
      'undeterminedOnsetDays',
      'afterEpisodeDays',
      'adjustedForMenstruation',
      'perimenstrualAtRiskDays',
      'factors',
    ]);
  });
});
