/* global self, caches, fetch, Request, Response, URL, setTimeout, clearTimeout */
/*
 * Relief's service worker: the app opens without a connection.
 * - Pages (navigations): network first, so a deployment shows at once; without an answer in a
 *   few seconds, the app shell (index.html) from the cache, whose router then shows the page.
 * - /assets/*: cache first; their names carry a content hash, so a cached file never goes stale.
 * - /api/: never cached and never answered here; diary writes made offline wait in the app's
 *   outbox (IndexedDB), not in this worker.
 * The build (web/vite-precache-plugin.ts) replaces the BUILD line below with its version and the
 * files the patient's pages need, so every deployment installs a new worker with a new cache.
 */
const BUILD = { version: 'dev', files: [] };

const CACHE = `relief-${BUILD.version}`;
const SHELL = '/index.html';
/** On a flaky connection a page request may hang; after this the cached app opens instead. */
const NAVIGATION_TIMEOUT_MS = 5000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: past the HTTP cache, so the shell and the list belong to the same build.
      await cache.addAll([SHELL, ...BUILD.files].map((url) => new Request(url, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('relief-') && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') event.respondWith(page(request));
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request));
  else if (BUILD.files.includes(url.pathname)) event.respondWith(fresh(request));
});

async function page(request) {
  try {
    const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
    // A server error page is no better than the app, which can show the entries on the device.
    if (response.status < 500) return response;
  } catch {
    // No connection: the cached app below.
  }
  const shell = await caches.match(SHELL, { cacheName: CACHE });
  return shell ?? Response.error();
}

async function asset(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

/** Other files of the app (manifest, icon): the network's copy when there is one, else the cached. */
async function fresh(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match(request, { cacheName: CACHE });
    if (cached) return cached;
    throw error;
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
