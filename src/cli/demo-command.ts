import { performance } from 'node:perf_hooks';
import { Command } from 'commander';
import { isValidLocalDate } from '../domain/time.js';
import { DiaryImportService, RegistryImportService } from '../services/bulk-import.js';
import { ServiceError } from '../services/errors.js';
import type { ReliefServices } from '../services/relief-services.js';
import {
  cohortEntries,
  cohortPatients,
  cohortSites,
  cohortWindow,
  countPatient,
  type CohortOptions,
  type CohortPatient,
} from '../synthetic/cohort-generator.js';
import { countRecords, demoRecords } from '../synthetic/registry-generator.js';
import { configuredDatabase, describeDatabase, OPERATOR, withServices } from './server-context.js';
import { UsageError } from './usage-error.js';

export const DEMO_LIMITS = { patients: 100_000, months: 120, seed: 0xffffffff } as const;

interface RawOptions {
  patients: string;
  months: string;
  seed: string;
  endDate?: string;
  logins?: boolean;
}

/** A whole number written in digits only, within [min, max]; the option is named in the error. */
function wholeNumber(option: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  const what = min === 0 ? 'a whole number' : 'a positive whole number';
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${option}: must be ${what}, not "${text}"`);
  if (n < min) throw new UsageError(`--${option}: must be ${what}, not ${n}`);
  if (n > max) throw new UsageError(`--${option}: must be at most ${max.toLocaleString('en-GB')}, not ${n}`);
  return n;
}

/** Checks the options; the cohort ends on `endDate`, by default the day before `today`. */
export function demoOptions(raw: RawOptions, today: Date): CohortOptions {
  const patients = wholeNumber('patients', raw.patients, 1, DEMO_LIMITS.patients);
  const months = wholeNumber('months', raw.months, 1, DEMO_LIMITS.months);
  const seed = wholeNumber('seed', raw.seed, 0, DEMO_LIMITS.seed);
  let endDate = new Date(today.getTime() - 86_400_000).toISOString().slice(0, 10);
  if (raw.endDate !== undefined) {
    if (!isValidLocalDate(raw.endDate))
      throw new UsageError(`--end-date: must be a date YYYY-MM-DD, not "${raw.endDate}"`);
    endDate = raw.endDate;
  }
  return { seed, patients, months, endDate };
}

/** Progress on stderr: a bar redrawn in place on a terminal, otherwise a line every 10 %. */
class Progress {
  private shownTenths = 0;
  private readonly tty = process.stderr.isTTY === true;

  constructor(private readonly total: number) {}

  update(done: number): void {
    if (this.tty) {
      const width = 30;
      const filled = Math.round((done / this.total) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${this.total} patients`);
      if (done === this.total) process.stderr.write('\n');
      return;
    }
    const tenths = Math.floor((done * 10) / this.total);
    if (tenths > this.shownTenths) {
      this.shownTenths = tenths;
      process.stderr.write(`demo: ${tenths * 10} % (${done}/${this.total} patients)\n`);
    }
  }
}

export interface DemoSummary {
  sites: { total: number; created: number };
  patients: { total: number; created: number; withProcedure: number };
  attacks: number;
  dailyRecords: number;
  questionnaires: number;
  procedures: number;
  treatments: number;
  adverseEvents: number;
  entries: { created: number; unchanged: number };
  records: { created: number; unchanged: number };
  seconds: number;
}

/** A conflict with data already in the database, explained in terms of the demo. */
function explainConflict(error: unknown, patientId: string): unknown {
  if (error instanceof ServiceError && error.code === 'conflict') {
    return new ServiceError(
      'conflict',
      `demo patient ${patientId} already exists with other data, made with another --months or --end-date: ` +
        'use the same options, another --seed, or an empty database',
    );
  }
  return error;
}

/** Writes the cohort through the services, acting as the operator; running it again adds nothing. */
export async function writeDemo(
  services: ReliefServices,
  options: CohortOptions,
  onProgress: (done: number) => void = () => {},
): Promise<DemoSummary> {
  const started = performance.now();
  const summary: DemoSummary = {
    sites: { total: 0, created: 0 },
    patients: { total: 0, created: 0, withProcedure: 0 },
    attacks: 0,
    dailyRecords: 0,
    questionnaires: 0,
    procedures: 0,
    treatments: 0,
    adverseEvents: 0,
    entries: { created: 0, unchanged: 0 },
    records: { created: 0, unchanged: 0 },
    seconds: 0,
  };
  for (const site of cohortSites(options)) {
    const written = await services.admin.putSite(OPERATOR, site.id, { name: site.name }, undefined);
    summary.sites.total++;
    if (written.status === 'created') summary.sites.created++;
  }
  const importer = new DiaryImportService(services.store, services.clock);
  const recordImporter = new RegistryImportService(services.store, services.clock);
  const write = async (patient: CohortPatient) => {
    try {
      const written = await services.patients.put(OPERATOR, patient.id, patient.record, undefined);
      const imported = await importer.importEntries(OPERATOR, patient.id, cohortEntries(patient));
      // Procedure, treatments and adverse events, for the patients with a procedure date.
      const records = demoRecords(patient, options.endDate);
      if (records.length > 0) {
        const written = await recordImporter.importRecords(OPERATOR, patient.id, records);
        const c = countRecords(records);
        summary.procedures += c.procedures;
        summary.treatments += c.treatments;
        summary.adverseEvents += c.adverseEvents;
        summary.records.created += written.created;
        summary.records.unchanged += written.unchanged;
      }
      const counts = countPatient(patient);
      summary.patients.total++;
      if (written.status === 'created') summary.patients.created++;
      summary.patients.withProcedure += counts.procedures;
      summary.attacks += counts.attacks;
      summary.dailyRecords += counts.dailyRecords;
      summary.questionnaires += counts.questionnaires;
      summary.entries.created += imported.created;
      summary.entries.unchanged += imported.unchanged;
      onProgress(summary.patients.total);
    } catch (error) {
      throw explainConflict(error, patient.id);
    }
  };
  // PostgreSQL answers over the network: keep a few patients in flight. SQLite works in-process.
  const workers = services.store.dialect === 'postgres' ? 4 : 1;
  const patients = cohortPatients(options);
  let failed = false;
  const worker = async () => {
    // After a failure the other workers finish the patient in hand and stop, so that no write
    // is still running when the database is closed.
    for (let next = patients.next(); !failed && !next.done; next = patients.next()) {
      try {
        await write(next.value);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: workers }, worker));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

const n = (x: number): string => x.toLocaleString('en-GB');

export interface DemoLogin {
  username: string;
  role: 'clinician' | 'researcher' | 'patient';
  /** The generated one-time password, or null when the user already existed. */
  password: string | null;
  patientId: string | null;
}

/**
 * Accounts to try the web app on the demo: a clinician and a researcher of every demo site, and
 * the first demo patient with a procedure. Each gets a one-time password to change at sign-in;
 * users already there are left as they are.
 */
export async function writeDemoLogins(services: ReliefServices, options: CohortOptions): Promise<DemoLogin[]> {
  const siteIds = cohortSites(options).map((s) => s.id);
  let patient: CohortPatient | undefined;
  for (const p of cohortPatients(options)) {
    patient ??= p;
    if (p.record.referenceDate !== undefined) {
      patient = p;
      break;
    }
  }
  const wanted = [
    { username: 'demo-clinician', role: 'clinician' as const, siteIds, patientId: undefined },
    { username: 'demo-researcher', role: 'researcher' as const, siteIds, patientId: undefined },
    { username: 'demo-patient', role: 'patient' as const, siteIds: [], patientId: patient?.id },
  ];
  const logins: DemoLogin[] = [];
  for (const w of wanted) {
    const existing = await services.store.read((tx) => tx.getUserByUsername(w.username));
    if (existing) {
      logins.push({ username: w.username, role: w.role, password: null, patientId: null });
      continue;
    }
    const created = await services.admin.createUser(OPERATOR, {
      username: w.username,
      displayName: w.username,
      role: w.role,
      siteIds: w.siteIds,
      ...(w.patientId !== undefined && { patientId: w.patientId }),
    });
    logins.push({
      username: w.username,
      role: w.role,
      password: created.password ?? null,
      patientId: w.patientId ?? null,
    });
  }
  return logins;
}

export function formatDemoLogins(logins: DemoLogin[]): string {
  return [
    'Sign-in accounts for the web app (change the one-time password at first sign-in):',
    ...logins.map(
      (l) =>
        `  ${l.username.padEnd(16)} ${l.role.padEnd(10)} ${l.password === null ? '(already there; password unchanged)' : `one-time password: ${l.password}`}` +
        (l.patientId ? `  patient ${l.patientId}` : ''),
    ),
  ].join('\n');
}

export function formatDemoSummary(options: CohortOptions, s: DemoSummary, database: string): string {
  const window = cohortWindow(options);
  return [
    `Synthetic demo cohort, seed ${options.seed}: diaries from ${window.startDate} to ${window.endDate} (${n(window.days)} days)`,
    `  sites           ${n(s.sites.total)} (${n(s.sites.created)} new)`,
    `  patients        ${n(s.patients.total)} (${n(s.patients.created)} new), ${n(s.patients.withProcedure)} with a procedure date`,
    `  attacks         ${n(s.attacks)}`,
    `  daily records   ${n(s.dailyRecords)}`,
    `  questionnaires  ${n(s.questionnaires)}`,
    `  procedures      ${n(s.procedures)}`,
    `  treatments      ${n(s.treatments)}`,
    `  adverse events  ${n(s.adverseEvents)}`,
    `  entries written ${n(s.entries.created)} new, ${n(s.entries.unchanged)} already there`,
    `  records written ${n(s.records.created)} new, ${n(s.records.unchanged)} already there`,
    `Done in ${s.seconds.toFixed(1)} s (${database}). All of it is made up: do not read any result from it.`,
  ].join('\n');
}

export function demoCommand(): Command {
  return new Command('demo')
    .description('fill the configured database with a synthetic demo cohort (made-up patients; migrates it first)')
    .option('--patients <n>', `number of patients, 1–${n(DEMO_LIMITS.patients)}`, '50')
    .option('--months <n>', `diary length in months, 1–${DEMO_LIMITS.months}`, '24')
    .option('--seed <n>', 'random seed: the same seed and options give the same cohort', '1')
    .option('--end-date <date>', 'last diary day, YYYY-MM-DD (default: yesterday, UTC)')
    .option(
      '--logins',
      'also create demo-clinician, demo-researcher and demo-patient and print their one-time passwords',
    )
    .action(async (raw: RawOptions) => {
      const options = demoOptions(raw, new Date());
      const database = configuredDatabase();
      const progress = new Progress(options.patients);
      await withServices(async (services) => {
        const summary = await writeDemo(services, options, (done) => progress.update(done));
        process.stdout.write(`${formatDemoSummary(options, summary, describeDatabase(database))}\n`);
        if (raw.logins) process.stdout.write(`${formatDemoLogins(await writeDemoLogins(services, options))}\n`);
      });
    });
}
