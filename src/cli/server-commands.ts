import { Command, InvalidArgumentError, Option } from 'commander';
import { z } from 'zod';
import { buildApp } from '../http/app.js';
import { DEFAULT_WEB_DIR } from '../http/web-app.js';
import { ServiceError } from '../services/errors.js';
import { ROLES } from '../services/model.js';
import { createServices } from '../services/relief-services.js';
import { createUserInputSchema } from '../services/schemas.js';
import { migrateToLatest } from '../storage/migrations.js';
import { openStore } from '../storage/open-store.js';
import { configuredDatabase, describeDatabase, OPERATOR, withServices } from './server-context.js';
import { CheckFailedError, UsageError } from './usage-error.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0–65535');
  return n;
}

export function trustedProxies(value: string): number | string[] {
  if (/^\d+$/.test(value)) return Number(value);
  const addresses = value.split(',').map((a) => a.trim());
  if (addresses.some((a) => !/^[0-9a-fA-F.:/]+$/.test(a))) {
    throw new InvalidArgumentError(
      'give a number of proxy hops, or proxy IP addresses (or CIDR ranges) separated by commas',
    );
  }
  return addresses;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('start the Relief server (SQLite in ./relief-data unless RELIEF_DATABASE_URL is set)')
    .addOption(new Option('--port <n>', 'port to listen on').env('RELIEF_PORT').argParser(port).default(8080))
    .addOption(new Option('--host <address>', 'address to listen on').env('RELIEF_HOST').default('127.0.0.1'))
    .addOption(
      new Option(
        '--trust-proxy <hops|addresses>',
        'trust X-Forwarded-* from TLS-terminating proxies: how many hops, or their comma-separated addresses',
      )
        .env('RELIEF_TRUST_PROXY')
        .argParser(trustedProxies),
    )
    .addOption(new Option('--log', 'log every request as JSON lines').env('RELIEF_LOG'))
    .action(async (opts: { port: number; host: string; trustProxy?: number | string[]; log?: boolean }) => {
      const database = configuredDatabase();
      const store = await openStore(database);
      const services = createServices(store);
      const firstAdmin = await services.auth.bootstrapAdmin();
      const app = await buildApp(services, {
        trustProxy: opts.trustProxy,
        logger: opts.log === true,
        webDir: process.env.RELIEF_WEB_DIR ?? DEFAULT_WEB_DIR,
      });
      const stop = async () => {
        await app.close();
        await store.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop());
      process.once('SIGTERM', () => void stop());
      await app.listen({ port: opts.port, host: opts.host });
      const address = app.server.address();
      const actualPort = typeof address === 'object' && address ? address.port : opts.port;
      const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${actualPort}`;
      const lines = [`Relief is listening on ${url} (database: ${describeDatabase(database)})`];
      lines.push(`Web app: ${url}/ · API: ${url}/api/v1 · documentation: ${url}/api/v1/docs`);
      if (firstAdmin) {
        lines.push(
          '',
          'First start: an admin account was created.',
          `  username: ${firstAdmin.username}`,
          `  one-time password: ${firstAdmin.password}`,
          `This password is shown only now; sign in at ${url}/ and choose a new one.`,
        );
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}

export function migrateCommand(): Command {
  return new Command('migrate').description('bring the configured database to the latest schema').action(async () => {
    const database = configuredDatabase();
    const store = await openStore(database, { migrate: false });
    try {
      const ran = await migrateToLatest(store.db);
      process.stdout.write(
        ran.length === 0
          ? `${describeDatabase(database)} is up to date\n`
          : `${describeDatabase(database)}: ran ${ran.join(', ')}\n`,
      );
    } finally {
      await store.close();
    }
  });
}

const collect = (value: string, previous: string[]) => [...previous, value];

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function userCommand(): Command {
  const user = new Command('user').description('manage user accounts on the configured database');
  user
    .command('add')
    .description('create a user; prints a generated one-time password unless --password-stdin is given')
    .requiredOption('--username <name>', 'sign-in name')
    .addOption(new Option('--role <role>', 'role').choices(ROLES).makeOptionMandatory())
    .option('--name <display name>', 'name shown in Relief (default: the username)')
    .option('--site <id>', 'site the user belongs to (repeatable)', collect, [])
    .option('--patient <id>', 'the patient record a patient login opens')
    .option('--password-stdin', 'read the password from standard input')
    .action(
      async (opts: {
        username: string;
        role: string;
        name?: string;
        site: string[];
        patient?: string;
        passwordStdin?: boolean;
      }) => {
        const parsed = createUserInputSchema.safeParse({
          username: opts.username,
          displayName: opts.name ?? opts.username,
          role: opts.role,
          siteIds: opts.site,
          ...(opts.patient !== undefined && { patientId: opts.patient }),
          ...(opts.passwordStdin && { password: await readStdin() }),
        });
        if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error));
        await withServices(async (services) => {
          const created = await services.admin.createUser(OPERATOR, parsed.data);
          process.stdout.write(`created ${created.user.role} "${created.user.username}" (${created.user.id})\n`);
          if (created.password) {
            process.stdout.write(`one-time password (shown only now): ${created.password}\n`);
          }
        });
      },
    );
  return user;
}

function tokenCommand(): Command {
  const token = new Command('token').description('API tokens for integrations');
  token
    .command('add')
    .description('create an API token for a user; prints it once')
    .requiredOption('--username <name>', 'the user the token acts as')
    .requiredOption('--name <label>', 'what the token is for')
    .action(async (opts: { username: string; name: string }) => {
      await withServices(async (services) => {
        const user = await services.store.transaction((tx) => tx.getUserByUsername(opts.username));
        if (!user) throw new UsageError(`--username: no user "${opts.username}"`);
        const actor = { ...OPERATOR.actor, userId: user.id, username: user.username, role: user.role };
        const created = await services.auth.createApiToken({ actor, requestId: null }, opts.name);
        process.stdout.write(`${created.token}\n`);
      });
    });
  return token;
}

function auditCommand(): Command {
  const audit = new Command('audit').description('the audit log');
  audit
    .command('verify')
    .description('recompute the hash chain; exits 1 when a row was edited or deleted')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { json?: boolean }) => {
      const result = await withServices((services) => services.audit.verify());
      if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else if (result.problems.length === 0) {
        process.stdout.write(`audit log intact: ${result.rows} rows, last hash ${result.lastHash}\n`);
      } else {
        process.stdout.write(`audit log BROKEN: ${result.problems.length} problem(s) in ${result.rows} rows\n`);
        for (const p of result.problems) process.stdout.write(`  row ${p.seq}: ${p.problem}\n`);
      }
      if (result.problems.length > 0) throw new CheckFailedError('the audit log is broken');
    });
  return audit;
}

export function serverCommands(): Command[] {
  return [serveCommand(), migrateCommand(), userCommand(), tokenCommand(), auditCommand()];
}

/** Service errors from a command are the user's to fix: report them like bad usage. */
export function describeServiceError(error: unknown): string | null {
  return error instanceof ServiceError ? error.message : null;
}
