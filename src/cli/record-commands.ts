import { readFile } from 'node:fs/promises';
import { Argument, Command } from 'commander';
import { InvalidInputError } from '../services/errors.js';
import { RECORD_KINDS, type RecordKind } from '../services/registry-model.js';
import type { RecordView } from '../services/registry-service.js';
import { idSchema } from '../services/schemas.js';
import { OPERATOR, withServices } from './server-context.js';
import { UsageError } from './usage-error.js';

const kindArgument = () => new Argument('<kind>', 'the kind of record').choices(RECORD_KINDS);

/** An id option, checked as the API checks ids; a bad one is a usage mistake. */
function checkId(option: string, value: string): string {
  const parsed = idSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`--${option}: ${parsed.error.issues[0]!.message}, not "${value}"`);
  return parsed.data;
}

function checkVersion(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,9}$/.test(value.trim()) || Number(value) < 1) {
    throw new UsageError(`--if-match: must be a record version such as 3, not "${value}"`);
  }
  return Number(value);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The record's JSON from a file or standard input ("-" or no --file). A bad file is bad input (exit 1). */
async function readBody(file: string | undefined): Promise<unknown> {
  const fromStdin = file === undefined || file === '-';
  let text: string;
  try {
    text = fromStdin ? await readStdin() : await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--file: cannot read "${file}": ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const where = fromStdin ? 'standard input' : file;
    throw new InvalidInputError([{ path: 'body', message: `${where} is not JSON: ${(error as Error).message}` }]);
  }
}

function line(r: RecordView, columns: Record<string, unknown>): string {
  const cells = [
    r.id,
    `v${r.version}`,
    ...Object.values(columns).map((v) => (v === null || v === undefined ? '-' : String(v))),
  ];
  return cells.join('\t');
}

/** What a list shows of each kind, beside the id and version. */
function summaryColumns(kind: RecordKind, data: Record<string, unknown>): Record<string, unknown> {
  switch (kind) {
    case 'procedure':
      return { date: data.date, type: data.type, site: data.siteId, surgeon: data.surgeon };
    case 'treatment':
      return {
        start: data.start,
        stop: data.stop,
        type: data.type,
        name: data.drug ?? data.site ?? data.device ?? data.therapy,
      };
    case 'adverse-event':
      return {
        onset: data.onset,
        resolved: data.resolved,
        grade: data.grade,
        term: data.term,
        procedure: data.procedureId,
      };
  }
}

/** `relief record put|list|delete`: registry records on the configured database, as the operator. */
export function recordCommand(): Command {
  // Set before the subcommands are added, so that they inherit it: a usage mistake returns exit code 2.
  const record = new Command('record')
    .description('procedures, treatments and adverse events on the configured database')
    .exitOverride();
  record
    .command('put')
    .description('create or replace a record from JSON (a file, or standard input with "-" or no --file)')
    .addArgument(kindArgument())
    .requiredOption('--patient <id>', 'the patient')
    .requiredOption('--id <id>', 'the record id (chosen by you, e.g. a UUID)')
    .option('--file <path>', 'the record as JSON; "-" for standard input')
    .option('--if-match <version>', 'the version you changed (needed to replace a record with other content)')
    .action(async (kind: RecordKind, opts: { patient: string; id: string; file?: string; ifMatch?: string }) => {
      const patientId = checkId('patient', opts.patient);
      const id = checkId('id', opts.id);
      const ifMatch = checkVersion(opts.ifMatch);
      const body = await readBody(opts.file);
      const written = await withServices((services) =>
        services.registry.put(OPERATOR, kind, patientId, id, body, ifMatch),
      );
      process.stdout.write(
        `${written.status} ${kind} "${id}" of patient "${patientId}" (version ${written.record.version})\n`,
      );
    });
  record
    .command('list')
    .description("a patient's records of one kind, by date")
    .addArgument(kindArgument())
    .requiredOption('--patient <id>', 'the patient')
    .option('--json', 'print the records as JSON')
    .action(async (kind: RecordKind, opts: { patient: string; json?: boolean }) => {
      const patientId = checkId('patient', opts.patient);
      const records = await withServices((services) => services.registry.list(OPERATOR, kind, patientId));
      if (opts.json) {
        process.stdout.write(JSON.stringify(records, null, 2) + '\n');
        return;
      }
      if (records.length === 0) {
        process.stdout.write(`no ${kind} records for patient "${patientId}"\n`);
        return;
      }
      const header = ['id', 'version', ...Object.keys(summaryColumns(kind, {}))].join('\t');
      const rows = records.map((r) => line(r, summaryColumns(kind, r.data)));
      process.stdout.write([header, ...rows].join('\n') + '\n');
    });
  record
    .command('delete')
    .description('delete a record (kept as deleted for the audit trail)')
    .addArgument(kindArgument())
    .requiredOption('--patient <id>', 'the patient')
    .requiredOption('--id <id>', 'the record id')
    .option('--if-match <version>', 'delete only if this is still the current version')
    .action(async (kind: RecordKind, opts: { patient: string; id: string; ifMatch?: string }) => {
      const patientId = checkId('patient', opts.patient);
      const id = checkId('id', opts.id);
      const ifMatch = checkVersion(opts.ifMatch);
      await withServices((services) => services.registry.delete(OPERATOR, kind, patientId, id, ifMatch));
      process.stdout.write(`deleted ${kind} "${id}" of patient "${patientId}"\n`);
    });
  return record;
}
