import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { OPERATOR } from '../../src/cli/server-context.js';
import { createServices } from '../../src/services/relief-services.js';
import type { DatabaseConfig } from '../../src/storage/database-config.js';
import type { KyselyStore } from '../../src/storage/kysely-store.js';
import { openStore } from '../../src/storage/open-store.js';
import { run, useDatabase } from '../helpers/cli.js';
import { testDatabases } from '../helpers/databases.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A site "site-a" and a patient "p1" there. */
async function seed(config: DatabaseConfig): Promise<void> {
  const store = await openStore(config);
  try {
    const services = createServices(store);
    await services.admin.putSite(OPERATOR, 'site-a', { name: 'Site A' }, undefined);
    await services.patients.put(
      OPERATOR,
      'p1',
      { siteId: 'site-a', displayName: 'P One', timeZone: 'UTC', conditions: ['migraine'], careTeam: [] },
      undefined,
    );
  } finally {
    await store.close();
  }
}

async function withStore<T>(config: DatabaseConfig, work: (store: KyselyStore) => Promise<T>): Promise<T> {
  const store = await openStore(config);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const PROCEDURE = {
  date: '2024-05-01',
  surgeon: 'S01',
  siteId: 'site-a',
  donorSites: ['abdomen'],
  harvest: { technique: 'syringe-coleman' },
  processing: { method: 'centrifugation', centrifugeG: 1200, centrifugeMinutes: 3 },
  recipientSites: [{ site: 'occipital', side: 'bilateral', volumeMl: 4 }],
  anaesthesia: 'local',
};

describe.each(testDatabases())('relief record on $name', (db) => {
  let config: DatabaseConfig;
  let drop: () => Promise<void>;
  let restoreEnv: () => void;
  let dir: string;
  const file = async (name: string, content: unknown) => {
    const f = path.join(dir, name);
    await writeFile(f, typeof content === 'string' ? content : JSON.stringify(content));
    return f;
  };
  const records = () =>
    withStore(config, (store) =>
      store.db.selectFrom('registry_records').select(['id', 'kind', 'version', 'deleted_at']).orderBy('id').execute(),
    );

  beforeEach(async () => {
    ({ config, drop } = await db.fresh());
    restoreEnv = useDatabase(config);
    dir = await mkdtemp(path.join(os.tmpdir(), 'relief-record-'));
    await seed(config);
  });

  afterEach(async () => {
    restoreEnv();
    await rm(dir, { recursive: true, force: true });
    await drop();
  });

  test('put creates, repeats unchanged, needs --if-match for a change; list and delete; audited as the operator', async () => {
    const f = await file('procedure.json', PROCEDURE);
    const put = (...extra: string[]) =>
      run('record', 'put', 'procedure', '--patient', 'p1', '--id', 'proc-1', ...extra);

    expect(await put('--file', f)).toEqual({
      code: 0,
      stdout: 'created procedure "proc-1" of patient "p1" (version 1)\n',
      stderr: '',
    });
    expect((await put('--file', f)).stdout).toBe('unchanged procedure "proc-1" of patient "p1" (version 1)\n');

    const changed = await file('changed.json', { ...PROCEDURE, durationMinutes: 80 });
    const blind = await put('--file', changed);
    expect(blind.code).toBe(1);
    expect(blind.stderr).toBe(
      'relief: this record exists with other content: send If-Match with the version you edited\n',
    );
    const stale = await put('--file', changed, '--if-match', '2');
    expect(stale).toMatchObject({ code: 1, stderr: 'relief: version 2 is not the current version 1\n' });
    expect(await put('--file', changed, '--if-match', '1')).toMatchObject({
      code: 0,
      stdout: 'updated procedure "proc-1" of patient "p1" (version 2)\n',
    });

    const list = await run('record', 'list', 'procedure', '--patient', 'p1');
    expect(list).toEqual({
      code: 0,
      stdout: 'id\tversion\tdate\ttype\tsite\tsurgeon\nproc-1\tv2\t2024-05-01\tfat-transfer\tsite-a\tS01\n',
      stderr: '',
    });
    const listed = await run('record', 'list', 'procedure', '--patient', 'p1', '--json');
    const items = JSON.parse(listed.stdout) as { id: string; version: number; data: Record<string, unknown> }[];
    expect(items.map((r) => [r.id, r.version])).toEqual([['proc-1', 2]]);
    expect(items[0]!.data).toEqual({ type: 'fat-transfer', ...PROCEDURE, durationMinutes: 80, adjuncts: [] });

    expect(await run('record', 'delete', 'procedure', '--patient', 'p1', '--id', 'proc-1')).toEqual({
      code: 0,
      stdout: 'deleted procedure "proc-1" of patient "p1"\n',
      stderr: '',
    });
    expect((await run('record', 'list', 'procedure', '--patient', 'p1')).stdout).toBe(
      'no procedure records for patient "p1"\n',
    );
    expect(await records()).toEqual([
      { id: 'proc-1', kind: 'procedure', version: 3, deleted_at: expect.any(String) as string },
    ]);

    const audit = await withStore(config, (store) =>
      store.db
        .selectFrom('audit_log')
        .select(['actor_user_id', 'action', 'patient_id', 'entity_id', 'outcome'])
        .where('action', 'like', 'procedure.%')
        .orderBy('seq')
        .execute(),
    );
    expect(audit.map((a) => [a.actor_user_id, a.action, a.patient_id, a.entity_id, a.outcome])).toEqual([
      ['operator:cli', 'procedure.put', 'p1', 'proc-1', 'ok'],
      ['operator:cli', 'procedure.put', 'p1', 'proc-1', 'unchanged'],
      ['operator:cli', 'procedure.put', 'p1', 'proc-1', 'conflict'],
      ['operator:cli', 'procedure.put', 'p1', 'proc-1', 'conflict'],
      ['operator:cli', 'procedure.put', 'p1', 'proc-1', 'ok'],
      ['operator:cli', 'procedure.list', 'p1', null, 'ok'],
      ['operator:cli', 'procedure.list', 'p1', null, 'ok'],
      ['operator:cli', 'procedure.delete', 'p1', 'proc-1', 'ok'],
      ['operator:cli', 'procedure.list', 'p1', null, 'ok'],
    ]);
  });

  test('bad input exits 1 naming the field and writes nothing', async () => {
    const nowhere = await file('nowhere.json', { ...PROCEDURE, siteId: 'nowhere' });
    const invalid = await file('invalid.json', {
      type: 'nerve-block',
      start: '2024-02-30',
      site: 'occipital',
      side: 'left',
    });
    const notJson = await file('broken.json', '{"term": ');
    // PostgreSQL cannot store NUL in text: refused on both databases, naming the field.
    const nul = await file('nul.json', { ...PROCEDURE, surgeon: 'S\u000001' });
    const cases: [string[], string][] = [
      [['procedure', '--file', nowhere], 'relief: body.siteId: no site "nowhere"\n'],
      [['procedure', '--file', nul], 'relief: body.surgeon: must not contain the NUL character\n'],
      [['treatment', '--file', invalid], 'relief: body.start: must be a calendar date as YYYY-MM-DD\n'],
      [['adverse-event', '--file', notJson], `relief: body: ${notJson} is not JSON`],
    ];
    for (const [[kind, ...rest], message] of cases) {
      const r = await run('record', 'put', kind!, '--patient', 'p1', '--id', 'x-1', ...rest);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr.startsWith(message)).toBe(true);
    }
    const unknownPatient = await run('record', 'list', 'treatment', '--patient', 'p9');
    expect(unknownPatient).toMatchObject({ code: 1, stderr: 'relief: patient not found\n' });
    expect(await records()).toEqual([]);
  });

  test('wrong usage exits 2', async () => {
    const f = await file('t.json', { type: 'nerve-block', start: '2024-02-01', site: 'occipital', side: 'left' });
    const cases: [string[], RegExp][] = [
      [
        ['record', 'put', 'surgery', '--patient', 'p1', '--id', 'a', '--file', f],
        /value 'surgery' is invalid for argument 'kind'. Allowed choices are procedure, treatment, adverse-event/,
      ],
      [['record', 'put', 'treatment', '--id', 'a', '--file', f], /required option '--patient <id>' not specified/],
      [['record', 'put', 'treatment', '--patient', 'p1', '--id', 'a b', '--file', f], /^relief: --id: must be 1–64/],
      [
        ['record', 'put', 'treatment', '--patient', 'p1', '--id', 'a', '--file', f, '--if-match', 'v1'],
        /^relief: --if-match: must be a record version such as 3, not "v1"/,
      ],
      [
        ['record', 'put', 'treatment', '--patient', 'p1', '--id', 'a', '--file', path.join(dir, 'missing.json')],
        /^relief: --file: cannot read/,
      ],
      [['record', 'delete', 'treatment', '--patient', 'p1'], /required option '--id <id>' not specified/],
      [['record', 'list', '--patient', 'p1'], /missing required argument 'kind'/],
    ];
    for (const [args, message] of cases) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(await records()).toEqual([]);
  });
});

describe('the built relief command', () => {
  const CLI = path.join(ROOT, 'bin', 'relief.js');
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'relief-record-bin-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('reads a record from standard input, and exits 1 and 2 as documented', async () => {
    if (!existsSync(path.join(ROOT, 'dist', 'cli', 'record-commands.js'))) {
      throw new Error('run `npm run build` first: this test runs bin/relief.js from dist/');
    }
    await seed({ kind: 'sqlite', file: path.join(dir, 'relief.sqlite') });
    const env = { ...process.env, RELIEF_DATA_DIR: dir, RELIEF_DATABASE_URL: '' };
    const relief = (args: string[], input = '') =>
      spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, env, input, encoding: 'utf8' });

    const body = JSON.stringify({ term: 'seroma', onset: '2024-05-10', grade: 'I', relation: 'related' });
    const created = relief(['record', 'put', 'adverse-event', '--patient', 'p1', '--id', 'ae-1', '--file', '-'], body);
    expect([created.status, created.stdout, created.stderr]).toEqual([
      0,
      'created adverse-event "ae-1" of patient "p1" (version 1)\n',
      '',
    ]);
    const again = relief(['record', 'put', 'adverse-event', '--patient', 'p1', '--id', 'ae-1'], body);
    expect([again.status, again.stdout]).toEqual([0, 'unchanged adverse-event "ae-1" of patient "p1" (version 1)\n']);

    const bad = relief(
      ['record', 'put', 'adverse-event', '--patient', 'p1', '--id', 'ae-2'],
      body.replace('"I"', '"VI"'),
    );
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^relief: body\.grade: /);

    const usage = relief(['record', 'list', 'adverse-event']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("required option '--patient <id>' not specified");

    const list = relief(['record', 'list', 'adverse-event', '--patient', 'p1']);
    expect([list.status, list.stdout]).toEqual([
      0,
      'id\tversion\tonset\tresolved\tgrade\tterm\tprocedure\nae-1\tv1\t2024-05-10\t-\tI\tseroma\t-\n',
    ]);
  });
});
