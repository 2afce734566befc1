/// <reference types="vite/client" />
import { startOutbox } from './outbox';

/**
 * Offline support: the service worker (web/public/sw.js) keeps the app's files so it opens
 * without a connection, and the outbox sends waiting diary entries whenever it can.
 */
export function startOffline(): void {
  startOutbox();
  // Only the built app has a precache list; the dev server serves modules that change on each edit.
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () =>
    navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch(() => {
      // Without a service worker the app still works online; entries still wait in the outbox.
    });
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}
