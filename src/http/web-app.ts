import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The web app (web/, built by Vite into dist/web) served beside the API: hashed files under
 * /assets are cached for a year, everything else is revalidated, and any other GET that is not
 * an API path answers the app's index.html so that its own router shows the page.
 */

/** dist/web of this package, whether this file runs from src/ (tests) or dist/ (the server). */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/**
 * Content-Security-Policy of the app's pages: only the server's own scripts and connections.
 * Inline style attributes stay allowed because the SVG charts set them.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

type Handler = (request: FastifyRequest, reply: FastifyReply) => unknown;

export async function registerWebApp(app: FastifyInstance, webDir: string, apiNotFound: Handler): Promise<void> {
  const built = existsSync(`${webDir}/index.html`);
  if (built) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      // The policy is set below per file, not the plugin's blanket max-age.
      cacheControl: false,
      setHeaders(res, path) {
        const immutable = path.includes('/assets/');
        res.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
        if (path.endsWith('.html')) res.setHeader('content-security-policy', CSP);
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    // Every /api path (another version too) and every missing file under /assets is a plain 404.
    const isApi = path === '/api' || path.startsWith('/api/');
    const isPage = request.method === 'GET' && !isApi && !path.startsWith('/assets/');
    if (!isPage) return apiNotFound(request, reply);
    if (!built) {
      return reply
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('The Relief web app is not built here: run `npm run build`, then restart the server.');
    }
    reply.header('content-security-policy', CSP);
    reply.header('cache-control', 'no-cache');
    return reply.type('text/html; charset=utf-8').sendFile('index.html');
  });
}
