import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { positive } from './bench-support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bump when the generated data changes, so that an old cache is not reused. A change of schema
 * needs no bump: opening a kept database runs its migrations.
 */
const VERSION = 'v3';

/**
 * Where `npm run bench:cohort` keeps the cohort database it builds once (BENCH_COHORT_PATIENTS
 * patients, 10,000 by default), which `npm run bench:stats` reads too: the directory, the SQLite
 * file and the marker written once the build is complete.
 */
export function cohortBenchCache(): { patients: number; dir: string; file: string; marker: string } {
  const patients = positive('BENCH_COHORT_PATIENTS', 10_000);
  const size = patients % 1000 === 0 ? `${patients / 1000}k` : String(patients);
  const dir = path.join(ROOT, 'bench-data', `cohort-${size}-${VERSION}`);
  return { patients, dir, file: path.join(dir, 'relief.sqlite'), marker: path.join(dir, 'complete.json') };
}
