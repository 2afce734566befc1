import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { OPERATOR } from '../cli/server-context.js';
import {
  baselineProfileOf,
  buildCohort,
  priorToxinOrBlockResponse,
  triggerSiteCount,
  type CohortAdverseEvent,
  type CohortProcedure,
  type CohortQuestionnaire,
  type CohortReport,
} from '../domain/cohort.js';
import { DEFAULT_CONFIG } from '../domain/config.js';
import { deriveDays } from '../domain/days.js';
import { attacksByStartDate, countDays, isEmptyCounts, type PeriodCounts } from '../domain/period-counts.js';
import { period28Range } from '../domain/periods.js';
import { scoreQuestionnaire, type QuestionnaireResponse } from '../domain/questionnaires.js';
import { daysBetween } from '../domain/time.js';
import type { AdverseEvent, ClavienDindoGrade, Procedure } from '../domain/registry.js';
import { DEFAULT_SITE_SETTINGS, siteSettingsSchema } from '../domain/site-settings.js';
import { DiaryImportService, RegistryImportService } from '../services/bulk-import.js';
import { assembleDiary } from '../services/diary-service.js';
import type { PatientRecord } from '../services/model.js';
import { createServices, type ReliefServices } from '../services/relief-services.js';
import { FAR_FUTURE_MS, SUMMARY_CONFIG } from '../services/summaries.js';
import type { DatabaseConfig } from '../storage/database-config.js';
import type { KyselyStore } from '../storage/kysely-store.js';
import { openStore } from '../storage/open-store.js';
import { cohortEntries, cohortPatients, cohortSites, type CohortOptions } from '../synthetic/cohort-generator.js';
import { demoRecords } from '../synthetic/registry-generator.js';
import { positive } from './bench-support.js';
import { cohortBenchCache } from './cohort-cache.js';

/**
 * `npm run bench:cohort`: the cohort query on 10,000 synthetic patients with two years of diary,
 * against the same cohort recomputed from the raw diary rows.
 *
 * The database is built once through the real services (the bulk imports `relief demo` uses, so
 * the summaries are the ones every diary write keeps) and kept in bench-data/ (`cohortBenchCache`)
 * for the next run; opening it again runs any newer migrations. Then the cohort service call
 * (access check, SQL, aggregation and audit row) is timed after a warm-up; then every selected
 * patient's entries are read, their days derived and counted per 28-day period, their
 * questionnaires and treatments scored in code, and the same aggregation run on those; both must
 * give the same windows and rows.
 *
 * Environment: BENCH_COHORT_PATIENTS (10000), BENCH_COHORT_RUNS (30), BENCH_COHORT_WORKERS (16
 * patients written at once, so their transactions share commits), RELIEF_BENCH_POSTGRES_URL (also
 * build and time a PostgreSQL database there; it must be empty or hold this benchmark's data).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CACHE = cohortBenchCache();
const PATIENTS = CACHE.patients;
const RUNS = positive('BENCH_COHORT_RUNS', 30);
const WORKERS = positive('BENCH_COHORT_WORKERS', 16);
const WARMUP = 5;
/** The cohort request, statistics included (it computes them with the windows and rows). */
const TARGET_MS = 300;
const COHORT: CohortOptions = { seed: 2024, patients: PATIENTS, months: 24, endDate: '2026-06-30' };
const TODAY = '2026-07-01';
/** The wall clock the seeding services see: the day after the diaries end. */
const SEED_CLOCK = () => new Date(`${TODAY}T08:00:00Z`);

const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (x: number) => x.toLocaleString('en-GB');

/** Writes the cohort through the services, a few patients at once; prints progress. */
async function seed(services: ReliefServices): Promise<void> {
  for (const site of cohortSites(COHORT)) {
    await services.admin.putSite(OPERATOR, site.id, { name: site.name }, undefined);
  }
  const diary = new DiaryImportService(services.store, services.clock);
  const records = new RegistryImportService(services.store, services.clock);
  const patients = cohortPatients(COHORT);
  const started = performance.now();
  const timing = { generate: 0, patient: 0, diary: 0, records: 0 };
  let done = 0;
  let shown = 0;
  const worker = async () => {
    for (;;) {
      let t = performance.now();
      const next = patients.next();
      if (next.done) return;
      const patient = next.value;
      const entries = cohortEntries(patient);
      const recs = demoRecords(patient, COHORT.endDate);
      timing.generate += performance.now() - t;
      t = performance.now();
      await services.patients.put(OPERATOR, patient.id, patient.record, undefined);
      timing.patient += performance.now() - t;
      t = performance.now();
      await diary.importEntries(OPERATOR, patient.id, entries);
      timing.diary += performance.now() - t;
      t = performance.now();
      if (recs.length > 0) await records.importRecords(OPERATOR, patient.id, recs);
      timing.records += performance.now() - t;
      done++;
      if (done * 50 >= (shown + 1) * PATIENTS || done === PATIENTS) {
        shown = Math.floor((done * 50) / PATIENTS);
        const seconds = (performance.now() - started) / 1000;
        const eta = (seconds / done) * (PATIENTS - done);
        log(
          `  seeded ${fmt(done)}/${fmt(PATIENTS)} patients in ${seconds.toFixed(0)} s (about ${eta.toFixed(0)} s left)`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  // Workers overlap, so these add up to more than the wall time; they show where it goes.
  const total = timing.generate + timing.patient + timing.diary + timing.records;
  log(
    `  time by step (summed over workers): ` +
      Object.entries(timing)
        .map(([k, ms]) => `${k} ${((100 * ms) / total).toFixed(0)} %`)
        .join(', '),
  );
}

interface DataSize {
  patients: number;
  procedures: number;
  entries: number;
  monthSummaries: number;
  periodSummaries: number;
  adverseEvents: number;
}

async function dataSize(store: KyselyStore): Promise<DataSize> {
  const count = async (query: Promise<{ n: number | string | bigint }>) => Number((await query).n);
  const db = store.db;
  const rows = (table: 'patients' | 'month_summaries' | 'period28_summaries') =>
    count(
      db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    );
  const records = (kind: string) =>
    count(
      db
        .selectFrom('registry_records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', kind)
        .where('deleted_at', 'is', null)
        .executeTakeFirstOrThrow(),
    );
  let entries = 0;
  for (const table of ['attacks', 'daily_records', 'medication_intakes', 'questionnaire_responses'] as const) {
    entries += await count(
      db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    );
  }
  return {
    patients: await rows('patients'),
    procedures: await records('procedure'),
    entries,
    monthSummaries: await rows('month_summaries'),
    periodSummaries: await rows('period28_summaries'),
    adverseEvents: await records('adverse-event'),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

interface QueryTiming {
  medianMs: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
  report: CohortReport;
}

/** The service call as the API makes it, timed after a warm-up. */
async function timeCohort(services: ReliefServices, filter: Record<string, unknown>): Promise<QueryTiming> {
  let report: CohortReport | undefined;
  for (let i = 0; i < WARMUP; i++) report = await services.cohort.cohort(OPERATOR, filter, { today: TODAY });
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    report = await services.cohort.cohort(OPERATOR, filter, { today: TODAY });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return {
    medianMs: percentile(times, 50),
    p95Ms: percentile(times, 95),
    minMs: times[0]!,
    maxMs: times.at(-1)!,
    report: report!,
  };
}

/** The scored MIDAS and HIT-6 responses of a patient's questionnaires, as `scoreQuestionnaire` scores them. */
function scored(responses: readonly QuestionnaireResponse[]): CohortQuestionnaire[] {
  return responses.flatMap((r): CohortQuestionnaire[] => {
    if (r.instrument !== 'MIDAS' && r.instrument !== 'HIT-6') return [];
    const { score } = scoreQuestionnaire(r);
    return [{ instrument: r.instrument === 'MIDAS' ? 'midas' : 'hit6', date: r.date, score }];
  });
}

/**
 * The same cohort from the raw diary: every selected patient's entries read, assembled, derived
 * (as the summaries are, with "now" far in the future) and counted per 28-day period; their
 * questionnaires, procedure bodies and treatment records read and evaluated in code.
 */
async function recompute(store: KyselyStore): Promise<{ ms: number; report: CohortReport }> {
  const started = performance.now();
  const report = await store.snapshot(async (tx) => {
    const patients = new Map<string, PatientRecord>((await tx.listPatients({})).map((p) => [p.id, p]));
    const procedures: CohortProcedure[] = [];
    const adverseEvents: CohortAdverseEvent[] = [];
    for (const patient of patients.values()) {
      const records = await tx.listRecords(patient.id);
      const own = records.filter((r) => r.kind === 'procedure');
      if (own.length === 0) continue;
      for (const e of records.filter((r) => r.kind === 'adverse-event')) {
        adverseEvents.push({
          patientId: patient.id,
          procedureId: e.procedureId,
          onset: e.startDate,
          grade: e.category as ClavienDindoGrade,
          relation: (e.body as AdverseEvent).relation,
        });
      }
      const diary = assembleDiary(
        patient,
        await tx.listEntries('attack', patient.id, {}),
        await tx.listEntries('daily-record', patient.id, {}),
        await tx.listEntries('medication', patient.id, {}),
        await tx.listEntries('questionnaire', patient.id, {}),
      );
      const days = deriveDays(diary, SUMMARY_CONFIG, FAR_FUTURE_MS);
      const byStart = attacksByStartDate(days.attacks);
      const questionnaires = scored(diary.questionnaires);
      const settings = siteSettingsSchema.safeParse((await tx.getSiteSettings(patient.siteId))?.body);
      const minRelief = (settings.success ? settings.data : DEFAULT_SITE_SETTINGS).candidacy.minBlockReliefPercent;
      const treatments = records
        .filter((r) => r.kind === 'treatment')
        .map((r) => ({
          type: r.category,
          start: r.startDate,
          percentRelief: (r.body as { percentRelief?: number }).percentRelief,
        }));
      for (const p of own) {
        const periods: PeriodCounts[] = [];
        // Every period up to today: durability follows a response as long as there is diary.
        const lastPeriod = Math.floor(daysBetween(p.startDate, TODAY) / 28) + 1;
        for (let k = 0; k <= lastPeriod; k++) {
          const { start, end } = period28Range(p.startDate, k);
          periods[k] = countDays(days, byStart, start, end);
        }
        const baseline = periods[0]!;
        procedures.push({
          procedureId: p.id,
          patientId: patient.id,
          date: p.startDate,
          procedureType: p.category,
          siteId: p.siteId ?? patient.siteId,
          surgeon: p.surgeon,
          adjuncts: Array.isArray(p.body.adjuncts) ? (p.body.adjuncts as string[]) : [],
          birthYear: patient.birthYear,
          sex: patient.sex,
          conditions: patient.conditions,
          periods,
          baselineProfile: baselineProfileOf(isEmptyCounts(baseline) ? undefined : baseline, SUMMARY_CONFIG),
          triggerSites: triggerSiteCount((p.body as Procedure).recipientSites.map((s) => s.site)),
          priorToxinOrBlockResponse: priorToxinOrBlockResponse(treatments, p.startDate, minRelief),
          questionnaires,
        });
      }
    }
    return buildCohort({
      procedures,
      adverseEvents,
      filter: {},
      today: TODAY,
      cfg: DEFAULT_CONFIG,
      visits: DEFAULT_SITE_SETTINGS.followUp,
      random: Math.random,
    });
  });
  return { ms: performance.now() - started, report };
}

/** What the rows hold for the cohort statistics: predictors and questionnaire scores, as counts. */
function rowFigures(report: CohortReport): string[] {
  const rows = report.patients;
  const share = (pick: (r: (typeof rows)[number]) => boolean | null) => {
    const known = rows.map(pick).filter((v) => v !== null);
    return `${known.filter(Boolean).length}/${known.length}`;
  };
  const scored = (pick: (r: (typeof rows)[number]) => number | null) => rows.filter((r) => pick(r) !== null).length;
  const sites = [0, 1, 2, 3, 4, 5].map((n) => rows.filter((r) => r.predictors.triggerSites === n).length);
  return [
    `predictors: aura ${share((r) => r.predictors.aura)}, medication overuse ${share((r) => r.predictors.medicationOveruse)}, ` +
      `prior toxin or block response ${share((r) => r.predictors.priorToxinOrBlockResponse)}, decompression ` +
      `${share((r) => r.predictors.decompression)}, trigger sites 0–5: ${sites.join(' ')}`,
    `MIDAS / HIT-6 scored: baseline ${scored((r) => r.baseline.midas)} / ${scored((r) => r.baseline.hit6)}, ` +
      report.windows
        .map((w, i) => `${w.visitId} ${scored((r) => r.windows[i]!.midas)} / ${scored((r) => r.windows[i]!.hit6)}`)
        .join(', '),
  ];
}

/** Rows compared without their random numbering. */
const rowSet = (r: CohortReport) => r.patients.map(({ row: _row, ...rest }) => JSON.stringify(rest)).sort();

async function benchDatabase(
  name: string,
  config: DatabaseConfig,
  isBuilt: (store: KyselyStore) => Promise<boolean>,
  markBuilt: () => void,
) {
  log(`\n${name}`);
  const store = await openStore(config, { migrate: true });
  try {
    if (!(await isBuilt(store))) {
      log(`  building ${fmt(PATIENTS)} patients × ${COHORT.months} months of diary (once; kept for later runs)…`);
      const t = performance.now();
      await seed(createServices(store, { clock: SEED_CLOCK }));
      // Fresh statistics for the query planners.
      await sql`analyze`.execute(store.db);
      markBuilt();
      log(`  built in ${((performance.now() - t) / 1000).toFixed(0)} s`);
    } else {
      log('  reusing the database built by an earlier run');
    }
    const size = await dataSize(store);
    log(
      `  data: ${fmt(size.patients)} patients, ${fmt(size.procedures)} procedures, ${fmt(size.adverseEvents)} adverse ` +
        `events, ${fmt(size.entries)} diary entries, ${fmt(size.periodSummaries)} 28-day and ${fmt(size.monthSummaries)} ` +
        'month summary rows',
    );
    const services = createServices(store);
    const all = await timeCohort(services, {});
    log(
      `  cohort request with statistics, all ${fmt(all.report.n)} procedures: median ${all.medianMs.toFixed(1)} ms, p95 ` +
        `${all.p95Ms.toFixed(1)} ms (min ${all.minMs.toFixed(1)}, max ${all.maxMs.toFixed(1)}; ${RUNS} runs after ` +
        `${WARMUP} warm-up) — target < ${TARGET_MS} ms: ${all.p95Ms < TARGET_MS ? 'met' : 'NOT met'}`,
    );
    const site = await timeCohort(services, { siteIds: ['demo-site-1'], headacheType: 'chronic' });
    log(
      `  cohort request with statistics, one site's chronic patients (${fmt(site.report.n)} procedures): median ` +
        `${site.medianMs.toFixed(1)} ms, p95 ${site.p95Ms.toFixed(1)} ms`,
    );
    const raw = await recompute(store);
    const same = isDeepStrictEqual(raw.report.windows, all.report.windows);
    const sameRows = isDeepStrictEqual(rowSet(raw.report), rowSet(all.report));
    log(
      `  recomputed from raw rows: ${(raw.ms / 1000).toFixed(1)} s, ${(raw.ms / all.medianMs).toFixed(0)}× the cohort ` +
        `query's median; windows ${same ? 'identical' : 'DIFFERENT'}, rows ${sameRows ? 'identical' : 'DIFFERENT'}`,
    );
    for (const w of all.report.windows) {
      log(
        `    ${w.label.padEnd(10)} n ${String(w.n).padStart(5)}  sufficient ${String(w.nSufficient).padStart(5)}  ` +
          `responders ≥50 % ${w.responders['50']} (synthetic data: the numbers mean nothing)`,
      );
    }
    for (const line of rowFigures(all.report)) log(`    ${line}`);
    if (!same || !sameRows) {
      log(`  summaries:  ${JSON.stringify(all.report.windows)}`);
      log(`  recomputed: ${JSON.stringify(raw.report.windows)}`);
      process.exitCode = 1;
    }
    return { name, size, all, site, recomputeMs: raw.ms, same: same && sameRows };
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  log(`Cohort benchmark: ${fmt(PATIENTS)} synthetic patients, diaries ${COHORT.months} months to ${COHORT.endDate}`);
  const { dir, file, marker } = CACHE;
  const building = path.join(dir, 'building');
  // A build that was interrupted is started again from an empty database.
  if (!existsSync(marker) && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const results = [];
  results.push(
    await benchDatabase(
      `SQLite ${path.relative(ROOT, file)}`,
      { kind: 'sqlite', file },
      () => Promise.resolve(existsSync(marker)),
      () => {
        writeFileSync(building, JSON.stringify({ cohort: COHORT }));
        renameSync(building, marker);
      },
    ),
  );
  const pgUrl = process.env.RELIEF_BENCH_POSTGRES_URL;
  if (pgUrl) {
    const pgMarker = path.join(dir, 'postgres.json');
    // The marker names the server; the patients must be there too (a new server may reuse the address).
    const built = async (store: KyselyStore) =>
      existsSync(pgMarker) &&
      (JSON.parse(readFileSync(pgMarker, 'utf8')) as { url: string }).url === pgUrl &&
      (await dataSize(store)).patients === PATIENTS;
    results.push(
      await benchDatabase('PostgreSQL (RELIEF_BENCH_POSTGRES_URL)', { kind: 'postgres', url: pgUrl }, built, () =>
        writeFileSync(pgMarker, JSON.stringify({ url: pgUrl, cohort: COHORT })),
      ),
    );
  }
  mkdirSync(path.join(ROOT, 'build'), { recursive: true });
  writeFileSync(
    path.join(ROOT, 'build', 'bench-cohort.json'),
    JSON.stringify(
      results.map(({ all, site, ...r }) => ({
        ...r,
        all: { ...all, report: undefined },
        site: { ...site, report: undefined },
      })),
      null,
      2,
    ),
  );
}

await main();
