import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precachePlugin } from './web/vite-precache-plugin.js';

/** The web app: web/ is built into dist/web, which `relief serve` serves beside the API. */
export default defineConfig({
  root: 'web',
  // The service worker keeps the patient's pages for offline use (web/public/sw.js).
  plugins: [react(), precachePlugin({ pages: /\/web\/src\/(patient|offline)\// })],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    manifest: true,
    sourcemap: true,
    target: 'es2022',
  },
  server: {
    // `npx vite` for work on the app: the API comes from a Relief server on its default port.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
