import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { OPERATOR } from '../cli/server-context.js';
import { DiaryImportService } from '../services/bulk-import.js';
import { createServices } from '../services/relief-services.js';
import { createUserInputSchema, patientInputSchema } from '../services/schemas.js';
import type { DatabaseConfig } from '../storage/database-config.js';
import { openStore } from '../storage/open-store.js';
import { generateDiary } from '../synthetic/diary-generator.js';

/** Helpers of the benchmarks: settings, seeding a database, running a server as a child process. */

/** A positive whole number from the environment, or the default. */
export function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return n;
}

export interface Seeded {
  patientIds: string[];
  token: string;
  /** Attacks the patients' diaries hold before the run. */
  seededAttacks: number;
}

/**
 * Creates a site, `patients` patients each with a seeded diary of `diaryDays` days (attacks and
 * daily records from the generator behind `relief demo`, written as `relief demo` writes them),
 * a clinician of that site and an API token for the clinician, with fresh ids so that a database
 * already in use is not disturbed. Closes the store afterwards.
 */
export async function seedBenchData(config: DatabaseConfig, patients: number, diaryDays: number): Promise<Seeded> {
  const suffix = randomBytes(4).toString('hex');
  const siteId = `bench-site-${suffix}`;
  const store = await openStore(config);
  try {
    // A cheap password hash: the benchmark signs in with the API token only.
    const services = createServices(store, { security: { scrypt: { N: 1024, r: 8, p: 1 } } });
    await services.admin.putSite(OPERATOR, siteId, { name: `Bench site ${suffix}` }, undefined);
    const importer = new DiaryImportService(store, services.clock);
    const patientIds: string[] = [];
    let seededAttacks = 0;
    for (let i = 0; i < patients; i++) {
      const patientId = `bench-patient-${suffix}-${i}`;
      patientIds.push(patientId);
      const patient = patientInputSchema.parse({
        siteId,
        displayName: `Bench ${suffix} ${i}`,
        timeZone: 'Europe/Paris',
      });
      await services.patients.put(OPERATOR, patientId, patient, undefined);
      if (diaryDays === 0) continue;
      const diary = generateDiary({
        seed: 1000 + i,
        startDate: DIARY_START,
        days: diaryDays,
        timeZone: 'Europe/Paris',
      });
      seededAttacks += diary.attacks.length;
      await importer.importEntries(OPERATOR, patientId, [
        ...diary.attacks.map((a) => ({
          kind: 'attack' as const,
          id: `${patientId}-${a.id}`,
          body: { ...a, id: `${patientId}-${a.id}` },
        })),
        ...diary.dailyRecords.map((r) => ({ kind: 'daily-record' as const, id: `${patientId}-d${r.date}`, body: r })),
      ]);
    }
    const { user } = await services.admin.createUser(
      OPERATOR,
      createUserInputSchema.parse({
        username: `bench-${suffix}`,
        displayName: `Bench clinician ${suffix}`,
        role: 'clinician',
        siteIds: [siteId],
        password: randomBytes(16).toString('hex'),
      }),
    );
    const actor = { ...OPERATOR.actor, userId: user.id, username: user.username, role: user.role, siteIds: [siteId] };
    const { token } = await services.auth.createApiToken({ actor, requestId: null }, 'api benchmark');
    return { patientIds, token, seededAttacks };
  } finally {
    await store.close();
  }
}

const DIARY_START = '2024-01-01';

/** Attacks of a synthetic two-year diary (the generator behind `relief demo`), sent as bodies. */
const ATTACKS = generateDiary({ seed: 2024, startDate: DIARY_START, days: 730, timeZone: 'Europe/Paris' }).attacks;

/** A valid attack body under `id`: one of the generated attacks, picked at random. */
export function attackBody(id: string): string {
  return JSON.stringify({ ...ATTACKS[randomInt(ATTACKS.length)], id });
}

export const freshId = () => randomUUID();

/** A server started as a child process; `stop` sends SIGTERM and waits for it to exit. */
export interface ChildServer {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

/**
 * Spawns `node …args` and waits for it to print "listening on http://HOST:PORT" (both `relief
 * serve` and the echo server do). Its output is kept for the error message should it exit early.
 */
export async function startChild(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<ChildServer> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`${args.join(' ')} exited (${code}) before listening:\n${output}`)));
  });
  return {
    child,
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
