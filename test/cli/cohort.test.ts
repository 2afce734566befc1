import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CohortRow } from '../../src/domain/cohort.js';
import { cohortStatistics, type CohortStatisticsReport } from '../../src/domain/cohort-stats.js';
import { DEFAULT_SITE_SETTINGS } from '../../src/domain/site-settings.js';
import { openStore } from '../../src/storage/open-store.js';
import { demoPatientId } from '../../src/synthetic/cohort-generator.js';

/**
 * `relief cohort` as built (bin/relief.js runs dist/: `npm run build` first), on a SQLite database
 * filled by `relief demo`. The demo's outcomes are made up, so this checks the shape of the result
 * and that its window numbers are those of its own rows, not any particular value.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = path.join(ROOT, 'bin', 'relief.js');
const TODAY = '2026-07-01';
const VISITS = DEFAULT_SITE_SETTINGS.followUp.filter((v) => v.months > 0);

let dir: string;
const relief = (...args: string[]) => {
  const env = { ...process.env, RELIEF_DATA_DIR: dir, RELIEF_DATABASE_URL: '' };
  return spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env, encoding: 'utf8' });
};
const cohort = (...args: string[]): CohortStatisticsReport => {
  const r = relief('cohort', '--json', '--today', TODAY, ...args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as CohortStatisticsReport;
};

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

describe('relief cohort on a demo database', () => {
  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'cli', 'cohort-command.js'))) {
      throw new Error('run `npm run build` first: this test runs bin/relief.js from dist/');
    }
    dir = await mkdtemp(path.join(os.tmpdir(), 'relief-cohort-'));
    const demo = relief('demo', '--patients', '30', '--months', '24', '--seed', '5', '--end-date', '2026-06-30');
    expect(demo.status, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('  patients        30 (30 new), 20 with a procedure date\n');
  }, 120_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('--json has windows[] and one de-identified row per procedure, and the windows are the rows’ counts', () => {
    const report = cohort();
    expect(Object.keys(report).sort()).toEqual(['asOf', 'filter', 'n', 'patients', 'statistics', 'windows']);
    expect(report.asOf).toBe(TODAY);
    expect(report.filter).toEqual({});
    expect(report.n).toBe(20);
    expect(report.patients.map((p) => p.row)).toEqual(
      Array.from({ length: 20 }, (_, i) => `R${String(i + 1).padStart(4, '0')}`),
    );
    expect(report.windows.map((w) => [w.visitId, w.months])).toEqual(VISITS.map((v) => [v.id, v.months]));

    for (const row of report.patients) {
      expect(Object.keys(row).sort()).toEqual(
        [
          'adjuncts',
          'age',
          'baseline',
          'complications',
          'conditions',
          'durability',
          'headacheType',
          'predictors',
          'procedureType',
          'row',
          'sex',
          'siteId',
          'surgeon',
          'windows',
        ].sort(),
      );
      expect(row.procedureType).toBe('fat-transfer');
      expect(row.surgeon).toMatch(/^S[1-6]$/);
      expect(row.windows.map((w) => w.visitId)).toEqual(VISITS.map((v) => v.id));
    }

    report.windows.forEach((w, i) => {
      const rows = report.patients.map((p) => p.windows[i]!);
      const ended = report.patients.filter((p) => p.windows[i]!.ended);
      expect(w.n).toBe(ended.length);
      const comparable = rows.filter((r) => r.responder50 !== null);
      expect(w.nSufficient).toBe(comparable.length);
      expect(comparable.every((r) => r.ended && r.sufficient)).toBe(true);
      expect(w.responders).toEqual({
        '50': rows.filter((r) => r.responder50 === true).length,
        '75': rows.filter((r) => r.responder75 === true).length,
        '100': rows.filter((r) => r.responder100 === true).length,
      });
      const changes = comparable.map((r) => r.mmdChange!);
      expect(w.mmdChange.median).toBe(median(changes));
      if (changes.length === 0) expect(w.mmdChange.mean).toBeNull();
      else expect(w.mmdChange.mean).toBeCloseTo(changes.reduce((s, x) => s + x, 0) / changes.length, 10);
      // Complications of the procedures that reached the window, up to its last day.
      const lastDay = VISITS[i]!.diaryPeriods.to * 28 - 1;
      const byGrade: Record<string, number> = { I: 0, II: 0, IIIa: 0, IIIb: 0, IVa: 0, IVb: 0, V: 0 };
      for (const p of ended) for (const c of p.complications) if (c.onsetDay <= lastDay) byGrade[c.grade]!++;
      expect(w.complications).toEqual(byGrade);
    });
    // The demo's diaries reach at least the 12-month window for some procedures.
    expect(report.windows[0]!.n).toBe(20);
    expect(report.windows.find((w) => w.visitId === 'm12')!.n).toBeGreaterThan(0);
    expect(report.patients.some((p) => p.complications.length > 0)).toBe(true);
  });

  test('--json statistics are those of its own rows, so anyone can recompute them', () => {
    const report = cohort('--group-by', 'surgeon', '--window', 'm6');
    const { statistics } = report;
    expect([statistics.groupBy, statistics.window]).toEqual(['surgeon', 'm6']);
    const again = cohortStatistics(report.patients, report.windows, { groupBy: 'surgeon', window: 'm6' });
    expect(statistics).toEqual(JSON.parse(JSON.stringify(again)));
    // The window statistics count what the windows count.
    report.windows.forEach((w, i) => {
      const s = statistics.windows[i]!;
      expect([s.visitId, s.nSufficient, s.responders.map((r) => r.x)]).toEqual([
        w.visitId,
        w.nSufficient,
        [w.responders['50'], w.responders['75'], w.responders['100']],
      ]);
      expect(s.mmdChange.median).toBe(w.mmdChange.median);
    });
    // Durability per surgeon of the demo (S1–S6), with the log-rank test across them.
    const surgeons = [...new Set(report.patients.map((p) => p.surgeon))].sort();
    expect(statistics.durability.groups.map((g) => g.group)).toEqual(surgeons);
    expect(statistics.durability.groups.reduce((n, g) => n + g.n, 0)).toBe(
      report.patients.filter((p) => p.durability.responded === true).length,
    );
  });

  test('the output names no patient and no date but the day it was computed on', () => {
    const r = relief('cohort', '--json', '--today', TODAY);
    expect(r.stdout).not.toContain(demoPatientId(5, 1).slice(0, 9));
    expect(r.stdout).not.toContain('Demo Patient');
    expect(r.stdout.match(/\d{4}-\d{2}-\d{2}/g)).toEqual([TODAY]);
  });

  test('filters narrow the cohort', () => {
    const all = cohort();
    const site1 = cohort('--site', 'demo-site-1');
    expect(site1.filter).toEqual({ siteIds: ['demo-site-1'] });
    expect(site1.n).toBe(all.patients.filter((p) => p.siteId === 'demo-site-1').length);
    expect(site1.patients.every((p) => p.siteId === 'demo-site-1')).toBe(true);
    expect(cohort('--site', 'demo-site-1', '--site', 'demo-site-2').n).toBe(
      all.patients.filter((p) => p.siteId !== 'demo-site-3').length,
    );
    const chronic = cohort('--headache-type', 'chronic');
    expect(chronic.n).toBe(all.patients.filter((p: CohortRow) => p.headacheType === 'chronic').length);
    const s1 = cohort('--surgeon', 'S1');
    expect(s1.n).toBe(all.patients.filter((p) => p.surgeon === 'S1').length);
    expect(cohort('--from', '2027-01-01').n).toBe(0);
  });

  test('text output is one line per window after a title, and each request is audited', async () => {
    const r = relief('cohort', '--today', TODAY, '--site', 'demo-site-2');
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Cohort of \d+ procedures on 2026-07-01 \(siteIds demo-site-2\), de-identified:$/);
    const windowLines = lines.slice(1, 1 + VISITS.length);
    expect(windowLines.map((l) => l.split(/\s{2,}/)[0])).toEqual(VISITS.map((v) => v.label));
    // Then the key statistics: per window the 50 % responder rate with its interval and the median
    // MMD change with the Hodges–Lehmann interval; the Kaplan–Meier median; the regression.
    const { statistics } = cohort('--site', 'demo-site-2');
    const rest = lines.slice(1 + VISITS.length);
    expect(rest[0]).toBe('Responders and MMD change from baseline (95 % intervals):');
    statistics.windows.forEach((w, i) => {
      const r = w.responders[0]!;
      const line = rest[1 + i]!;
      expect(line.startsWith(w.label)).toBe(true);
      if (r.n > 0) {
        expect(line).toContain(
          `≥50 % responders ${r.x}/${r.n} ${(100 * r.rate!).toFixed(1)} % (${(100 * r.lower!).toFixed(1)} % to ` +
            `${(100 * r.upper!).toFixed(1)} %)`,
        );
      }
      if (w.mmdChange.hodgesLehmannLower !== null) {
        expect(line).toContain(
          `Hodges–Lehmann ${w.mmdChange.hodgesLehmann!.toFixed(2)} (${w.mmdChange.hodgesLehmannLower.toFixed(2)} to ` +
            `${w.mmdChange.hodgesLehmannUpper!.toFixed(2)})` +
            // An interval from too few differences for 95 % names the level it reaches.
            (w.mmdChange.hodgesLehmannLevel === 0.95
              ? ','
              : ` at ${Math.round(w.mmdChange.hodgesLehmannLevel! * 1000) / 10} %,`),
        );
      }
    });
    const km = statistics.durability.groups[0]!;
    expect(rest[1 + VISITS.length]).toBe('Durability: days from the procedure to relapse among responders:');
    expect(rest[2 + VISITS.length]).toMatch(new RegExp(`^all\\s+${km.n} responders, ${km.events} relapses, median `));
    expect(rest[3 + VISITS.length]).toMatch(/^Predictors of ≥50 % response at 12 months \(Firth logistic regression, /);

    const store = await openStore({ kind: 'sqlite', file: path.join(dir, 'relief.sqlite') });
    try {
      const [last] = await store.read((tx) => tx.readRecentAudit(1));
      expect(last).toMatchObject({
        actorUserId: 'operator:cli',
        action: 'cohort.read',
        patientId: null,
        entityType: 'cohort',
        entityId: '{"siteIds":["demo-site-2"]}',
        outcome: 'ok',
      });
    } finally {
      await store.close();
    }
  });

  test('bad options exit 2 and name the option', () => {
    const cases: [string[], string][] = [
      [['--headache-type', 'sometimes'], "argument 'sometimes' is invalid"],
      [['--from', '2026-02-30'], 'relief: --from: '],
      [['--from', '2026-03-01', '--to', '2026-02-01'], 'relief: --to: must not be before from'],
      [['--site', 'bad site'], 'relief: --site: '],
      [['--condition', 'flu'], 'relief: --condition: '],
      [['--today', 'tomorrow'], 'relief: --today: must be a date YYYY-MM-DD, not "tomorrow"'],
      [['--group-by', 'doctor'], "argument 'doctor' is invalid"],
      [['--window', 'm7'], 'relief: --window: '],
    ];
    for (const [args, message] of cases) {
      const r = relief('cohort', ...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    }
  });
});
