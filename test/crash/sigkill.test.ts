import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { OPERATOR } from '../../src/cli/server-context.js';
import { createServices } from '../../src/services/relief-services.js';
import { createUserInputSchema, patientInputSchema } from '../../src/services/schemas.js';
import { openStore } from '../../src/storage/open-store.js';
import { mulberry32 } from '../../src/synthetic/diary-generator.js';

/**
 * Durability on SQLite: a server killed with SIGKILL in the middle of concurrent writes loses no
 * write it acknowledged, stores every write at most once and keeps its audit chain intact.
 *
 * Each round starts `relief serve` from the build, lets 8 clients PUT attacks and daily records
 * under fresh ids, and kills the server after a random 50–400 ms. A write that got a 2xx answer
 * is acknowledged and must survive exactly as sent; a write cut off by the kill is unknown: it may
 * or may not be stored, and some are sent again after the restart (same id, same body), which
 * must answer 201 (it was lost) or 200 "unchanged" (it was stored), never anything else.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'bin', 'relief.js');
const KILLS = 20;
const CLIENTS = 8;
const PATIENT = 'crash-patient';
const SITE = 'crash-site';

type Kind = 'attack' | 'daily-record';
const PATHS: Record<Kind, string> = { attack: 'attacks', 'daily-record': 'daily-records' };
const TABLES: Record<Kind, string> = { attack: 'attacks', 'daily-record': 'daily_records' };

interface Write {
  kind: Kind;
  id: string;
  body: Record<string, unknown>;
}

const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
// Seeded, so a failing run's bodies can be told apart by its seed.
const random = mulberry32(SEED);
const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
const pad = (n: number) => String(n).padStart(2, '0');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function randomAttack(id: string): Record<string, unknown> {
  const day = new Date(Date.UTC(2024, 0, 1) + int(0, 364) * 86_400_000).toISOString().slice(0, 10);
  const hour = int(0, 20);
  const body: Record<string, unknown> = {
    id,
    start: `${day}T${pad(hour)}:${pad(int(0, 59))}:00+01:00`,
    peakIntensity: int(0, 20) / 2,
  };
  if (random() < 0.8) body.end = `${day}T${pad(hour + int(1, 3))}:${pad(int(0, 59))}:00+01:00`;
  if (random() < 0.5) body.side = pick(['left', 'right', 'bilateral']);
  if (random() < 0.5) body.nausea = random() < 0.5;
  if (random() < 0.5) body.photophobia = random() < 0.5;
  if (random() < 0.3) body.quality = [pick(['pulsating', 'pressing', 'stabbing'])];
  if (random() < 0.3) body.medications = [{ name: 'Sumatriptan', class: 'triptan', doseMg: 50 }];
  if (random() < 0.3) body.notes = `note ${int(0, 1e6)} – Kopfschmerz “ü” 🧠`;
  return body;
}

/** One daily record per local date: every daily record gets a date of its own. */
let nextDailyDay = 0;
function randomDailyRecord(): Record<string, unknown> {
  const date = new Date(Date.UTC(2010, 0, 1) + nextDailyDay++ * 86_400_000).toISOString().slice(0, 10);
  const body: Record<string, unknown> = { date };
  if (random() < 0.5) body.noHeadache = true;
  else body.headache = { peakIntensity: int(1, 10), hours: int(1, 24) };
  if (random() < 0.5) body.factors = { sleepHours: int(8, 18) / 2, stress: int(0, 3), alcohol: random() < 0.5 };
  if (random() < 0.3) body.menstruation = pick(['none', 'light', 'heavy']);
  return body;
}

function freshWrite(): Write {
  if (random() < 0.8) {
    const id = randomUUID();
    return { kind: 'attack', id, body: randomAttack(id) };
  }
  return { kind: 'daily-record', id: randomUUID(), body: randomDailyRecord() };
}

/** A running `relief serve`; `exited` settles when the process is gone. */
interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const live = new Set<ChildProcess>();
let dataDir = '';
let token = '';

async function startServer(): Promise<Server> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, RELIEF_DATA_DIR: dataDir, RELIEF_DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    }),
  );
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) resolve(m[1]!);
    });
    void exited.then(() => reject(new Error(`relief serve exited before listening:\n${output}`)));
  });
  // The server says it listens; it is ready when /health answers from the database.
  for (let tries = 0; ; tries++) {
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.status === 200) break;
    } catch {
      // not yet
    }
    if (tries > 200) throw new Error(`no /health answer from ${url}:\n${output}`);
    await sleep(20);
  }
  return { child, url, exited };
}

function put(url: string, w: Write): Promise<Response> {
  return fetch(`${url}/api/v1/patients/${PATIENT}/${PATHS[w.kind]}/${w.id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(w.body),
    signal: AbortSignal.timeout(10_000),
  });
}

beforeAll(async () => {
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'pipe',
  });
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'relief-crash-'));
  execFileSync(process.execPath, [CLI, 'migrate'], {
    cwd: ROOT,
    env: { ...process.env, RELIEF_DATA_DIR: dataDir, RELIEF_DATABASE_URL: '' },
    stdio: 'pipe',
  });
  const store = await openStore({ kind: 'sqlite', file: path.join(dataDir, 'relief.sqlite') });
  try {
    const services = createServices(store, { security: { scrypt: { N: 1024, r: 8, p: 1 } } });
    await services.admin.putSite(OPERATOR, SITE, { name: 'Crash site' }, undefined);
    const input = patientInputSchema.parse({ siteId: SITE, displayName: 'Crash Patient', timeZone: 'Europe/Berlin' });
    await services.patients.put(OPERATOR, PATIENT, input, undefined);
    const { user } = await services.admin.createUser(
      OPERATOR,
      createUserInputSchema.parse({
        username: 'crash-clinician',
        displayName: 'Crash Clinician',
        role: 'clinician',
        siteIds: [SITE],
        password: 'a long enough password',
      }),
    );
    const actor = { ...OPERATOR.actor, userId: user.id, username: user.username, role: user.role, siteIds: [SITE] };
    token = (await services.auth.createApiToken({ actor, requestId: null }, 'crash test')).token;
  } finally {
    await store.close();
  }
}, 60_000);

afterAll(() => {
  for (const child of live) child.kill('SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('relief serve on SQLite, killed with SIGKILL during writes', () => {
  test(`${KILLS} kills lose no acknowledged write and store none twice`, async () => {
    const acknowledged = new Map<string, Write>();
    const unknown = new Map<string, Write>();
    const problems: string[] = [];
    let retried = 0;
    let retriedCreated = 0;
    let retriedUnchanged = 0;
    let retryQueue: Write[] = [];
    const cutOff = new Set<string>();
    const began = performance.now();
    let startingMs = 0;

    for (let round = 0; round < KILLS; round++) {
      const starting = performance.now();
      const server = await startServer();
      startingMs += performance.now() - starting;
      let killed = false;

      const send = async (w: Write, retry: boolean): Promise<void> => {
        let res: Response;
        try {
          res = await put(server.url, w);
        } catch {
          unknown.set(w.id, w); // cut off: may or may not be stored
          cutOff.add(w.id);
          return;
        }
        if (res.status !== 200 && res.status !== 201) {
          problems.push(`${w.kind} ${w.id}: HTTP ${res.status} ${await res.text().catch(() => '')}`);
          return;
        }
        // The server answers only after the commit: from here on the write must survive.
        acknowledged.set(w.id, w);
        unknown.delete(w.id);
        if (!retry && res.status !== 201) problems.push(`${w.kind} ${w.id}: a fresh id answered ${res.status}`);
        if (retry) {
          if (res.status === 201) retriedCreated++;
          else retriedUnchanged++;
        }
        let answer: { status?: string; id?: string; data?: unknown };
        try {
          answer = (await res.json()) as typeof answer;
        } catch {
          return; // the body was cut off by the kill; the status line already acknowledged the write
        }
        const expected = res.status === 201 ? 'created' : 'unchanged';
        if (answer.status !== expected || answer.id !== w.id) {
          problems.push(`${w.kind} ${w.id}: HTTP ${res.status} answered ${JSON.stringify(answer)}`);
        }
        try {
          expect(answer.data).toEqual(w.body);
        } catch {
          problems.push(`${w.kind} ${w.id}: answered data ${JSON.stringify(answer.data)}`);
        }
      };

      const client = async (): Promise<void> => {
        while (!killed) {
          const again = retryQueue.pop();
          if (again) {
            retried++;
            await send(again, true);
          } else {
            await send(freshWrite(), false);
          }
        }
      };

      const clients = Array.from({ length: CLIENTS }, client);
      await sleep(int(50, 400));
      killed = true;
      server.child.kill('SIGKILL');
      expect(await server.exited).toEqual({ code: null, signal: 'SIGKILL' });
      await Promise.all(clients);
      // Half of what is unknown now is sent again after the restart, as a phone would.
      retryQueue = [...unknown.values()].filter(() => random() < 0.5);
    }

    // One more start: the server recovers the database and shows every acknowledged write.
    const server = await startServer();
    const listed = new Map<string, unknown>();
    for (const kind of ['attack', 'daily-record'] as const) {
      const res = await fetch(`${server.url}/api/v1/patients/${PATIENT}/${PATHS[kind]}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      const { items } = (await res.json()) as { items: { id: string; data: unknown }[] };
      for (const item of items) {
        if (listed.has(item.id)) problems.push(`API lists ${item.id} twice`);
        listed.set(item.id, item.data);
      }
    }
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });

    for (const w of acknowledged.values()) {
      if (!listed.has(w.id)) problems.push(`API: acknowledged ${w.kind} ${w.id} is missing`);
      else if (JSON.stringify(sortKeys(listed.get(w.id))) !== JSON.stringify(sortKeys(w.body))) {
        problems.push(`API: ${w.kind} ${w.id} differs: ${JSON.stringify(listed.get(w.id))}`);
      }
    }
    for (const [id, data] of listed) {
      const sent = acknowledged.get(id) ?? unknown.get(id);
      if (!sent) problems.push(`API lists ${id}, which no client sent`);
      else if (JSON.stringify(sortKeys(data)) !== JSON.stringify(sortKeys(sent.body))) {
        problems.push(`API: ${id} differs from what was sent`);
      }
    }

    // The file itself, read-only, after the server stopped.
    const db = new Database(path.join(dataDir, 'relief.sqlite'), { readonly: true, fileMustExist: true });
    const stored = new Map<string, { kind: Kind; body: unknown }>();
    let rowCount = 0;
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      for (const kind of ['attack', 'daily-record'] as const) {
        const rows = db.prepare(`select id, patient_id, body from ${TABLES[kind]}`).all() as {
          id: string;
          patient_id: string;
          body: string;
        }[];
        const distinct = db.prepare(`select count(distinct id) as n from ${TABLES[kind]}`).get() as { n: number };
        expect(distinct.n).toBe(rows.length);
        rowCount += rows.length;
        for (const r of rows) {
          if (stored.has(r.id)) problems.push(`SQLite: ${r.id} stored twice`);
          if (r.patient_id !== PATIENT) problems.push(`SQLite: ${r.id} belongs to ${r.patient_id}`);
          stored.set(r.id, { kind, body: JSON.parse(r.body) });
        }
      }
      // Each stored entry came with its audit row, in the same transaction.
      const audited = db
        .prepare(
          `select entity_id, count(*) as n from audit_log where action in ('attack.put', 'daily-record.put')
                  and outcome = 'ok' group by entity_id`,
        )
        .all() as { entity_id: string; n: number }[];
      const auditedIds = new Set(audited.map((r) => r.entity_id));
      for (const id of stored.keys()) if (!auditedIds.has(id)) problems.push(`SQLite: ${id} has no audit row`);
      for (const r of audited) {
        if (!stored.has(r.entity_id)) problems.push(`SQLite: audit row for ${r.entity_id}, which is not stored`);
        if (r.n !== 1) problems.push(`SQLite: ${r.entity_id} was created ${r.n} times`);
      }
    } finally {
      db.close();
    }
    for (const w of acknowledged.values()) {
      const row = stored.get(w.id);
      if (!row) problems.push(`SQLite: acknowledged ${w.kind} ${w.id} is missing`);
      else if (row.kind !== w.kind || JSON.stringify(sortKeys(row.body)) !== JSON.stringify(sortKeys(w.body))) {
        problems.push(`SQLite: ${w.kind} ${w.id} differs: ${JSON.stringify(row.body)}`);
      }
    }
    for (const [id, row] of stored) {
      const sent = acknowledged.get(id) ?? unknown.get(id);
      if (!sent) problems.push(`SQLite holds ${id}, which no client sent`);
      else if (JSON.stringify(sortKeys(row.body)) !== JSON.stringify(sortKeys(sent.body))) {
        problems.push(`SQLite: ${id} differs from what was sent`);
      }
    }

    const verify = execFileSync(process.execPath, [CLI, 'audit', 'verify'], {
      cwd: ROOT,
      env: { ...process.env, RELIEF_DATA_DIR: dataDir, RELIEF_DATABASE_URL: '' },
      encoding: 'utf8',
    }); // throws when it exits non-zero

    const lostUnknown = [...unknown.keys()].filter((id) => !stored.has(id)).length;
    console.log(
      `crash test (seed ${SEED}): ${KILLS} kills, ${acknowledged.size} acknowledged writes, ` +
        `${cutOff.size} cut off, ${unknown.size} still unknown (${unknown.size - lostUnknown} stored, ${lostUnknown} not), ` +
        `${retried} retried (${retriedCreated} created, ${retriedUnchanged} unchanged), ` +
        `${rowCount} rows; ${verify.trim()}; ${((performance.now() - began) / 1000).toFixed(1)} s ` +
        `(server start ${(startingMs / KILLS).toFixed(0)} ms on average)`,
    );

    expect(problems).toEqual([]);
    expect(verify).toMatch(/^audit log intact: \d+ rows, last hash [0-9a-f]{64}\n$/);
    expect(rowCount).toBe(stored.size);
    expect(listed.size).toBe(stored.size);
    // Every kill hit writes in flight, and the retries were exercised.
    expect(cutOff.size).toBeGreaterThan(0);
    expect(retried).toBeGreaterThan(0);
    expect(acknowledged.size).toBeGreaterThan(KILLS);
  }, 60_000);
});

/** The same JSON value with object keys sorted, so key order cannot make equal bodies differ. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}
