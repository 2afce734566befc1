import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'vite';

/**
 * Writes into the built service worker (dist/web/sw.js) the files it keeps for offline use and a
 * version derived from them: the entry with everything it imports, the pages matched by `pages`
 * (what a patient opens without a connection) with their imports and CSS, and the public files.
 * Charts and the care team's pages are left to be cached when first used. A new build gives a
 * new sw.js, which the browser installs, replacing the previous build's cache.
 */
const PLACEHOLDER = "const BUILD = { version: 'dev', files: [] };";

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  imports: string[];
  viteMetadata?: { importedCss: Set<string>; importedAssets: Set<string> };
}

export function precachePlugin(options: { pages: RegExp; worker?: string }): Plugin {
  const worker = options.worker ?? 'sw.js';
  let outDir = '';
  let publicDir = '';
  return {
    name: 'relief-precache',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
      publicDir = config.publicDir;
    },
    async writeBundle(_output, bundle) {
      const chunks = new Map<string, ChunkLike>();
      for (const item of Object.values(bundle)) {
        if (item.type === 'chunk') chunks.set(item.fileName, item as unknown as ChunkLike);
      }
      const files = new Set<string>();
      const add = (chunk: ChunkLike | undefined) => {
        if (!chunk || files.has(`/${chunk.fileName}`)) return;
        files.add(`/${chunk.fileName}`);
        for (const css of chunk.viteMetadata?.importedCss ?? []) files.add(`/${css}`);
        for (const imported of chunk.imports) add(chunks.get(imported));
      };
      for (const chunk of chunks.values()) {
        const id = chunk.facadeModuleId?.split(path.sep).join('/') ?? '';
        if (chunk.isEntry || options.pages.test(id)) add(chunk);
      }
      const hash = createHash('sha256');
      for (const name of (await readdir(publicDir).catch(() => [] as string[])).sort()) {
        if (name === worker || name.startsWith('.')) continue;
        files.add(`/${name}`);
        // Public files keep their names: their content decides the version too.
        hash.update(await readFile(path.join(publicDir, name)));
      }
      const list = [...files].sort();
      hash.update(await readFile(path.join(outDir, 'index.html'))).update(list.join('\n'));
      const version = hash.digest('hex').slice(0, 12);

      const file = path.join(outDir, worker);
      const source = await readFile(file, 'utf8');
      if (!source.includes(PLACEHOLDER)) throw new Error(`${worker} lacks the line ${PLACEHOLDER}`);
      const build = `const BUILD = ${JSON.stringify({ version, files: list })};`;
      await writeFile(file, source.replace(PLACEHOLDER, build));
    },
  };
}
