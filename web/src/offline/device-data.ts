import { promised, transact, VERSIONS } from './db';

/**
 * What the app keeps on the device, and what of it goes when a user signs out (a phone may be
 * shared, and health data must not stay behind for the next person):
 *
 * localStorage
 * - `relief.user` (app/session.tsx): who is signed in, so the app opens offline. Removed on
 *   sign-out by the session itself.
 * - `relief.capture.<patientId>` (patient/capture/patient-context.ts): the patient's time zone,
 *   conditions and diary preferences (usual medicines, foods): health data. Removed.
 * - `relief.capture.days.<patientId>` (patient/capture/day-records.ts): recent check-ins. Removed.
 * - Any other key under `relief.capture.` or `relief.outbox.`: removed as well, so that data a
 *   screen caches later cannot stay behind unnoticed.
 * - `relief.outbox.syncedAt.<patientId>` (offline/outbox.ts): when the patient's entries last
 *   reached the server. Removed.
 * IndexedDB `relief-offline` (offline/db.ts)
 * - `outbox`: diary entries saved but not yet confirmed by the server. KEPT: they are the
 *   patient's own unsent diary; nobody else sees or sends them, and they go when their author
 *   signs in again (removing them would lose what the patient saved).
 * - `versions` (`patientId/kind/id` → version): what the device last saw of each entry. Removed
 *   (a waiting entry keeps its own base version).
 * Cache Storage (web/public/sw.js): the app's own files only, never an answer of the API. Kept.
 */

export const SYNCED_KEY = (patientId: string) => `relief.outbox.syncedAt.${patientId}`;
/** A patient's data a screen keeps in localStorage lives under one of these. */
const PREFIXES = ['relief.capture.', 'relief.outbox.'];
/** The keys of one patient's data that may stay while that patient is signed in. */
const keysOf = (patientId: string) =>
  new Set([`relief.capture.${patientId}`, `relief.capture.days.${patientId}`, SYNCED_KEY(patientId)]);

/**
 * Removes every patient's device data listed above except `keepPatientId`'s: on sign-out (keep
 * none) and on sign-in (a session that simply expired left the previous user's behind).
 */
export async function forgetDeviceData(keepPatientId: string | null): Promise<void> {
  const kept = keepPatientId === null ? new Set<string>() : keysOf(keepPatientId);
  try {
    const keys = Array.from({ length: localStorage.length }, (_, i) => localStorage.key(i));
    for (const key of keys) {
      if (key !== null && PREFIXES.some((p) => key.startsWith(p)) && !kept.has(key)) localStorage.removeItem(key);
    }
  } catch {
    // Storage blocked: nothing was kept there either.
  }
  try {
    await transact([VERSIONS], 'readwrite', async (tx) => {
      const store = tx.objectStore(VERSIONS);
      const keys = (await promised(store.getAllKeys())) as string[];
      for (const key of keys) {
        if (keepPatientId === null || !key.startsWith(`${keepPatientId}/`)) store.delete(key);
      }
    });
  } catch {
    // IndexedDB unavailable: it holds nothing then.
  }
}
