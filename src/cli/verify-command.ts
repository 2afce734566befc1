import { Command } from 'commander';
import { SummaryVerifier, type SummaryDifference, type SummaryVerification } from '../services/summaries.js';
import { OPERATOR, withServices } from './server-context.js';
import { CheckFailedError } from './usage-error.js';

function describe(d: SummaryDifference): string {
  const where = `patient ${d.patientId}  ${d.table} ${d.key}`;
  if (d.problem === 'missing') return `${where}: row missing (expected recordedDays ${d.expected})`;
  if (d.problem === 'extra') return `${where}: extra row (stored recordedDays ${d.stored})`;
  return `${where}  ${d.field}: stored ${d.stored ?? 'nothing'}, expected ${d.expected ?? 'nothing'}`;
}

function report(result: SummaryVerification): string {
  const lines: string[] = [];
  if (result.totalDifferences === 0) {
    lines.push(`summaries match the diary: ${result.patients} patient(s) checked`);
  } else {
    lines.push(
      `summaries DIFFER: ${result.totalDifferences} difference(s) in ${result.differingPatients.length} of ` +
        `${result.patients} patient(s)`,
    );
    for (const d of result.differences) lines.push(`  ${describe(d)}`);
    const unlisted = result.totalDifferences - result.differences.length;
    if (unlisted > 0) lines.push(`  … and ${unlisted} more`);
  }
  if (result.repaired.length > 0) {
    lines.push(`repaired: summaries rewritten from the diary for ${result.repaired.length} patient(s)`);
    for (const id of result.repaired) lines.push(`  patient ${id}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * `relief verify summaries`: recomputes the patient-period summaries from the raw diary rows and
 * reports every difference; exits 1 when any differ. With `--repair` the differing patients'
 * summaries are rewritten, and the command exits 0 once they are.
 */
export function verifyCommand(): Command {
  const verify = new Command('verify').description('check stored data against its source');
  verify
    .command('summaries')
    .description('recompute the month and 28-day summaries from the raw diary rows; exits 1 when any differ')
    .option('--json', 'print the result as JSON')
    .option('--repair', 'rewrite the summaries of the patients that differ')
    .option('--patient <id>', 'check one patient only')
    .action(async (opts: { json?: boolean; repair?: boolean; patient?: string }) => {
      const result = await withServices((services) =>
        new SummaryVerifier(services.store, services.clock).verify(OPERATOR, {
          patientId: opts.patient,
          repair: opts.repair === true,
        }),
      );
      process.stdout.write(opts.json ? JSON.stringify(result, null, 2) + '\n' : report(result));
      const unrepaired = result.differingPatients.filter((id) => !result.repaired.includes(id));
      if (unrepaired.length > 0) throw new CheckFailedError('stored summaries differ from the diary');
    });
  return verify;
}
