import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Reports what the built web app (dist/web) costs to download, from Vite's manifest: the
 * JavaScript a patient's phone fetches before the diary's first screen (the entry and its static
 * imports) against its budget, and the chunks fetched on demand (charts, other pages). Exits 1
 * when the first screen is over budget. Sizes are gzip at zlib's default level, as servers send.
 */

const BUDGET_KB = 150;

interface ManifestChunk {
  file: string;
  name?: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  css?: string[];
}

const webDir = process.argv[2] ?? 'dist/web';
const manifest = JSON.parse(readFileSync(join(webDir, '.vite', 'manifest.json'), 'utf8')) as Record<
  string,
  ManifestChunk
>;
const gzipKb = (file: string) => gzipSync(readFileSync(join(webDir, file))).length / 1024;

const entryKey = Object.keys(manifest).find((k) => manifest[k]!.isEntry);
if (entryKey === undefined) throw new Error(`no entry in ${webDir}/.vite/manifest.json`);

const initial = new Set<string>();
const visit = (key: string) => {
  if (initial.has(key)) return;
  initial.add(key);
  for (const i of manifest[key]!.imports ?? []) visit(i);
};
visit(entryKey);

const initialJs = [...initial].map((k) => manifest[k]!.file);
const initialKb = initialJs.reduce((s, f) => s + gzipKb(f), 0);
const initialCssKb = [...new Set([...initial].flatMap((k) => manifest[k]!.css ?? []))].reduce(
  (s, f) => s + gzipKb(f),
  0,
);

const onDemand = Object.entries(manifest)
  .filter(([k, c]) => !initial.has(k) && c.file.endsWith('.js'))
  .map(([k, c]) => ({ name: c.name ?? k, kb: gzipKb(c.file) }))
  .sort((a, b) => b.kb - a.kb);

const lines = [
  'Web app download sizes (gzip):',
  `  patient diary, first screen: ${initialKb.toFixed(1)} KB JavaScript in ${initialJs.length} file(s) + ${initialCssKb.toFixed(1)} KB CSS (budget ${BUDGET_KB} KB JavaScript)`,
  `  on demand: ${onDemand.length} chunks, ${onDemand.reduce((s, c) => s + c.kb, 0).toFixed(1)} KB in all; largest:`,
  ...onDemand.slice(0, 6).map((c) => `    ${c.name.padEnd(28)} ${c.kb.toFixed(1).padStart(7)} KB`),
];
process.stdout.write(lines.join('\n') + '\n');
if (initialKb > BUDGET_KB) {
  process.stderr.write(
    `The diary's first screen needs ${initialKb.toFixed(1)} KB of JavaScript, over the ${BUDGET_KB} KB budget.\n`,
  );
  process.exit(1);
}
