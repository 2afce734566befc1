import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { SQLITE_FILE_NAME, type DatabaseConfig } from '../storage/database-config.js';
import { attackBody, type ChildServer, freshId, positive, seedBenchData, startChild } from './bench-support.js';
import { freePort } from './free-port.js';

/**
 * `npm run bench:api`: durable diary writes through the HTTP API, measured with autocannon on
 * loopback. Each request is an authenticated PUT of an attack under a fresh UUID, so each one is
 * a real insert, committed (and on SQLite synced) before the answer, with the patient's month and
 * 28-day summaries updated in the same transaction. The writes go to patients picked at random
 * among BENCH_PATIENTS, each with a two-year diary already (a registry's patients, not one
 * patient with thousands of attacks a day). The server runs as a child process, as in
 * production; a bare Fastify echo server under the same load is the floor.
 *
 * Environment: BENCH_SECONDS (10), BENCH_CONNECTIONS (50), BENCH_WARMUP_REQUESTS (2000),
 * BENCH_PATIENTS (100), BENCH_DIARY_DAYS (730: each patient's diary before the run; 0 for none),
 * RELIEF_BENCH_POSTGRES_URL (else a throwaway cluster of scripts/postgres-throwaway.sh, if
 * PostgreSQL is installed), BENCH_PROFILE=1 (the server children write V8 CPU profiles to
 * build/profiles/), BENCH_ONLY=echo,sqlite,postgres (a subset of the targets).
 * Writes the results to build/bench-api.json.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'bin', 'relief.js');
const ECHO = path.join(ROOT, 'dist', 'bench', 'echo-server.js');
const PG_SCRIPT = path.join(ROOT, 'scripts', 'postgres-throwaway.sh');
const RESULTS_FILE = path.join(ROOT, 'build', 'bench-api.json');
const PROFILE_DIR = path.join(ROOT, 'build', 'profiles');

const SECONDS = positive('BENCH_SECONDS', 10);
const CONNECTIONS = positive('BENCH_CONNECTIONS', 50);
const WARMUP_REQUESTS = positive('BENCH_WARMUP_REQUESTS', 2000);
const PATIENTS = positive('BENCH_PATIENTS', 100);
const DIARY_DAYS = process.env.BENCH_DIARY_DAYS === '0' ? 0 : positive('BENCH_DIARY_DAYS', 730);
const PROFILE = process.env.BENCH_PROFILE === '1';
const ONLY = new Set((process.env.BENCH_ONLY ?? 'echo,sqlite,postgres').split(',').map((s) => s.trim()));
const GOAL_WRITES_PER_SECOND = 3000;
const GOAL_P99_MS = 50;

const run = promisify(execFile);

interface TargetResult {
  target: string;
  /** Mean of autocannon's per-second samples of answered requests. */
  requestsPerSecond: number;
  /** 2xx answers divided by the measured duration: acknowledged writes per second. */
  writesPerSecond: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  durationSeconds: number;
  /** Attack rows the run added to the benchmark patients (warm-up included); null for the echo floor. */
  rows: number | null;
  /** 2xx answers of warm-up and measured run together, to compare with `rows`. */
  acknowledged: number | null;
  /** Requests sent but not answered when the run stopped (the server may still have stored them). */
  cutOff: number;
}

interface Load {
  url: string;
  method: 'PUT' | 'POST';
  headers: Record<string, string>;
  /** The path and body of one request. */
  next(): { path: string; body: string };
}

function cannon(load: Load, options: { duration?: number; amount?: number }): Promise<autocannon.Result> {
  return autocannon({
    url: load.url,
    connections: CONNECTIONS,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration }),
    requests: [
      {
        method: load.method,
        headers: load.headers,
        setupRequest: (request) => ({ ...request, ...load.next() }),
      },
    ],
  });
}

function statusCodes(result: autocannon.Result): Record<string, number> {
  return Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count ?? 0]));
}

/** Warms the server's JIT up, then measures; returns the measured run and the 2xx count of both. */
async function measure(target: string, load: Load): Promise<{ result: TargetResult; warmup2xx: number }> {
  const warmup = await cannon(load, { amount: WARMUP_REQUESTS });
  const r = await cannon(load, { duration: SECONDS });
  return {
    warmup2xx: warmup['2xx'],
    result: {
      target,
      requestsPerSecond: r.requests.mean,
      writesPerSecond: r['2xx'] / r.duration,
      latencyMs: {
        mean: r.latency.mean,
        p50: r.latency.p50,
        p90: r.latency.p90,
        p99: r.latency.p99,
        max: r.latency.max,
      },
      requests: r.requests.total,
      ok2xx: r['2xx'],
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      statusCodes: statusCodes(r),
      durationSeconds: r.duration,
      rows: null,
      acknowledged: null,
      cutOff: r.requests.sent - r.requests.total,
    },
  };
}

function nodeArgs(script: string, name: string, extra: string[]): string[] {
  const profile = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  return [...profile, script, ...extra];
}

async function benchEcho(): Promise<TargetResult> {
  const server = await startChild(nodeArgs(ECHO, 'echo', ['0']), process.env, ROOT);
  try {
    const { result } = await measure('fastify echo (floor)', {
      url: server.url,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      next: () => ({ path: '/echo', body: attackBody(freshId()) }),
    });
    return result;
  } finally {
    await server.stop();
  }
}

async function countAttackRows(config: DatabaseConfig, patientIds: readonly string[]): Promise<number> {
  const prefix = `${patientIds[0]!.replace(/-\d+$/, '')}-%`;
  if (config.kind === 'sqlite') {
    const db = new SQLite(config.file, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('select count(*) as n from attacks where patient_id like ?').get(prefix) as { n: number };
      return row.n;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>('select count(*) as n from attacks where patient_id like $1', [
      prefix,
    ]);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function benchRelief(target: string, config: DatabaseConfig, env: NodeJS.ProcessEnv): Promise<TargetResult> {
  const started = Date.now();
  const { patientIds, token, seededAttacks } = await seedBenchData(config, PATIENTS, DIARY_DAYS);
  console.log(
    `${target}: seeded ${fmt(PATIENTS)} patients with ${fmt(DIARY_DAYS)}-day diaries ` +
      `(${fmt(seededAttacks)} attacks) in ${fmt((Date.now() - started) / 1000)} s`,
  );
  const server: ChildServer = await startChild(
    nodeArgs(CLI, target.replace(/\W+/g, '-'), ['serve', '--port', '0', '--host', '127.0.0.1']),
    env,
    ROOT,
  );
  let measured: { result: TargetResult; warmup2xx: number };
  try {
    const load: Load = {
      url: server.url,
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      next() {
        const id = freshId();
        const patientId = patientIds[randomInt(patientIds.length)]!;
        return { path: `/api/v1/patients/${patientId}/attacks/${id}`, body: attackBody(id) };
      },
    };
    // One request by hand first, so a wrong body or token fails loudly instead of as 100 % non-2xx.
    const probe = load.next();
    const res = await fetch(server.url + probe.path, { method: 'PUT', headers: load.headers, body: probe.body });
    if (res.status !== 201) throw new Error(`${target}: the probe write answered ${res.status}: ${await res.text()}`);
    measured = await measure(target, load);
    measured.warmup2xx += 1;
  } finally {
    await server.stop();
  }
  const { result, warmup2xx } = measured;
  result.rows = (await countAttackRows(config, patientIds)) - seededAttacks;
  result.acknowledged = warmup2xx + result.ok2xx;
  return result;
}

/** RELIEF_BENCH_POSTGRES_URL, or a throwaway cluster; null when PostgreSQL is not installed. */
async function postgresServer(): Promise<{ url: string; stop(): Promise<void> } | null> {
  const given = process.env.RELIEF_BENCH_POSTGRES_URL?.trim();
  if (given) return { url: given, stop: async () => undefined };
  try {
    await run('bash', [PG_SCRIPT, 'bindir']);
  } catch {
    return null;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'relief-bench-pg-'));
  const stop = async () => {
    await run('bash', [PG_SCRIPT, 'stop', dir]);
  };
  try {
    const { stdout } = await run('bash', [PG_SCRIPT, 'start', dir, String(await freePort())]);
    return { url: stdout.trim(), stop };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

const fmt = (x: number, digits = 0) =>
  x.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function printTable(results: TargetResult[]): void {
  const header = ['target', 'writes/s', 'req/s (mean)', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'];
  const rows = results.map((r) => [
    r.target,
    fmt(r.writesPerSecond),
    fmt(r.requestsPerSecond),
    fmt(r.latencyMs.p50),
    fmt(r.latencyMs.p99),
    fmt(r.non2xx),
    fmt(r.errors),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const row of rows) console.log(line(row));
  console.log('(latency percentiles as autocannon records them: whole milliseconds)');
}

async function main(): Promise<void> {
  console.log(
    `Relief API benchmark: ${CONNECTIONS} connections, ${SECONDS} s per target after ${WARMUP_REQUESTS} warm-up ` +
      `requests; node ${process.version}, ${os.cpus().length} CPU(s) shared by client and server`,
  );
  // Other work on the machine skews the numbers; the load average tells whether there was any.
  const loadBefore = os.loadavg()[0]!;
  console.log(`load average (1 min) before the run: ${loadBefore.toFixed(2)}`);
  console.log(
    `load: authenticated PUT /api/v1/patients/<one of ${PATIENTS}>/attacks/<fresh uuid>, a new attack per request ` +
      `(201 expected), on patients with ${DIARY_DAYS}-day diaries`,
  );
  if (PROFILE) mkdirSync(PROFILE_DIR, { recursive: true });
  const results: TargetResult[] = [];
  const notes: string[] = [];

  if (ONLY.has('echo')) results.push(await benchEcho());

  if (ONLY.has('sqlite')) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'relief-bench-'));
    try {
      const config: DatabaseConfig = { kind: 'sqlite', file: path.join(dir, SQLITE_FILE_NAME) };
      const env = { ...process.env, RELIEF_DATA_DIR: dir, RELIEF_DATABASE_URL: '' };
      results.push(await benchRelief('relief SQLite', config, env));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  if (ONLY.has('postgres')) {
    const postgres = await postgresServer();
    if (postgres === null) {
      notes.push('PostgreSQL: skipped (not installed)');
    } else {
      try {
        const config: DatabaseConfig = { kind: 'postgres', url: postgres.url };
        const env = { ...process.env, RELIEF_DATABASE_URL: postgres.url };
        results.push(await benchRelief('relief PostgreSQL', config, env));
      } finally {
        await postgres.stop();
      }
    }
  }

  console.log('');
  printTable(results);
  for (const note of notes) console.log(note);
  console.log('');
  for (const r of results) {
    if (r.rows === null) continue;
    // autocannon drops the requests in flight when the time is up; the server may still store them.
    const extra = r.rows - r.acknowledged!;
    const verdict =
      extra === 0
        ? 'equal'
        : extra > 0 && extra <= r.cutOff
          ? `${fmt(extra)} more rows: requests cut off in flight at the end (${fmt(r.cutOff)} were), stored after all`
          : `MISMATCH by ${fmt(extra)} (${fmt(r.cutOff)} requests were cut off at the end)`;
    console.log(
      `${r.target}: ${fmt(r.rows)} attack rows in the database, ${fmt(r.acknowledged!)} 2xx answers ` +
        `(warm-up and probe included): ${verdict}; measured-run status codes ${JSON.stringify(r.statusCodes)}`,
    );
  }
  const sqlite = results.find((r) => r.target === 'relief SQLite');
  console.log('');
  console.log(`goal: ≥ ${fmt(GOAL_WRITES_PER_SECOND)} durable writes/s on SQLite with p99 < ${GOAL_P99_MS} ms`);
  if (sqlite) {
    const met = sqlite.writesPerSecond >= GOAL_WRITES_PER_SECOND && sqlite.latencyMs.p99 < GOAL_P99_MS;
    console.log(
      `SQLite: ${fmt(sqlite.writesPerSecond)} writes/s, p99 ${fmt(sqlite.latencyMs.p99)} ms: ${met ? 'met' : 'NOT MET'}`,
    );
  }

  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(
    RESULTS_FILE,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        node: process.version,
        cpus: os.cpus().length,
        loadAverageBefore: loadBefore,
        connections: CONNECTIONS,
        seconds: SECONDS,
        warmupRequests: WARMUP_REQUESTS,
        patients: PATIENTS,
        diaryDays: DIARY_DAYS,
        goal: { writesPerSecond: GOAL_WRITES_PER_SECOND, p99Ms: GOAL_P99_MS },
        results,
        notes,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`results: ${path.relative(ROOT, RESULTS_FILE)}`);
  if (PROFILE) console.log(`CPU profiles: ${path.relative(ROOT, PROFILE_DIR)}/`);
}

await main();
