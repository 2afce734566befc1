import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../helpers/databases.js';
import { startApi, type TestApi } from '../helpers/api.js';

/** The web app's files served beside the API: caching, Content-Security-Policy and page fallback. */
describe('serving the web app', () => {
  const [sqlite] = testDatabases();
  let dir: string;
  let api: TestApi;
  let unbuilt: TestApi;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'relief-web-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Relief</title><div id="root"></div>');
    await writeFile(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {})');
    api = await startApi(sqlite!, { app: { webDir: dir } });
    unbuilt = await startApi(sqlite!, { app: { webDir: path.join(dir, 'missing') } });
  });
  afterAll(async () => {
    await api?.close();
    await unbuilt?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers any page path with index.html under a strict Content-Security-Policy, revalidated', async () => {
    for (const url of ['/', '/today', '/clinic/patients/p1?tab=timeline']) {
      const res = await api.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('caches hashed assets for a year and revalidates other files', async () => {
    const asset = await api.app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const worker = await api.app.inject({ method: 'GET', url: '/sw.js' });
    expect(worker.statusCode).toBe(200);
    expect(worker.headers['cache-control']).toBe('no-cache');
  });

  it('answers a missing asset and unknown API paths with a 404, never the page', async () => {
    const asset = await api.app.inject({ method: 'GET', url: '/assets/gone-123.js' });
    expect(asset.statusCode).toBe(404);
    const route = await api.app.inject({ method: 'GET', url: '/api/v1/nowhere' });
    expect(route.statusCode).toBe(404);
    expect(route.json()).toEqual({ error: { code: 'not_found', message: 'no route GET /api/v1/nowhere' } });
    for (const url of ['/api', '/api/v2/patients']) {
      const other = await api.app.inject({ method: 'GET', url });
      expect(other.statusCode, url).toBe(404);
      expect(other.json().error.code).toBe('not_found');
    }
    const post = await api.app.inject({ method: 'POST', url: '/today', payload: {} });
    expect(post.statusCode).toBe(404);
  });

  it('never lets the API be cached', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('says how to build the app when it is not built', async () => {
    const res = await unbuilt.app.inject({ method: 'GET', url: '/today' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('npm run build');
    const health = await unbuilt.app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(health.statusCode).toBe(200);
  });
});
