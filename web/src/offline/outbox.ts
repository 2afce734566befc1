import { useCallback, useEffect, useState } from 'react';
import { ApiError, NetworkError, request } from '../api/client';
import { canonical } from '../../../src/domain/canonical-json';
import type { User } from '../api/types';
import { loadSession, onBeforeSignOut, remembered } from '../app/session';
import { OUTBOX, promised, transact, VERSIONS } from './db';
import { SYNCED_KEY } from './device-data';

/**
 * The outbox: every diary write is first stored on the device, then sent with the API's
 * idempotent PUT under the client-chosen id. A write leaves the device only when the server
 * confirmed it (or refused it for a reason retrying cannot fix, which the user then sees), so a
 * flaky connection loses nothing and a retry never duplicates anything.
 */

export type EntryKind = 'attack' | 'daily-record' | 'medication' | 'questionnaire';

export interface Pending {
  key: string; // `${patientId}/${kind}/${id}`
  patientId: string;
  kind: EntryKind;
  id: string;
  body: Record<string, unknown> | null; // null = a deletion
  state: 'waiting' | 'sending' | 'rejected';
  error?: {
    status: number;
    code: string;
    message: string;
    issues: { path: string; message: string }[];
    /** The API's details: `currentVersion` (changed elsewhere), `existingId` (the day has a record). */
    details?: Record<string, unknown>;
  };
  savedAt: string; // ISO instant the user saved it
}

/** What the device keeps beside the entry itself. */
interface Stored extends Pending {
  /** Bumped by every local change: an answer only settles the entry if nothing changed meanwhile. */
  rev: number;
  /** The user who saved it: it is sent only under that user's session (a shared phone). */
  author: string | null;
  /**
   * Canonical bodies (`null` for a deletion) of requests that left the device without an answer
   * seen: the server may hold any of them. A conflict with one of these is our own write.
   */
  maybeSent: string[];
  /**
   * The server version this change was made on, sent as If-Match (null: not on the server yet).
   * Fixed when the entry is first stored; it moves only with our own writes (a confirmed one, or
   * our earlier body found on the server), never with what a page read meanwhile: a change made
   * elsewhere after the edit must come back as a conflict, not be overwritten.
   */
  baseVersion: number | null;
}

/** The URL segment of each kind of diary entry under `/patients/:id/`. */
export const ENTRY_PATHS: Record<EntryKind, string> = {
  attack: 'attacks',
  'daily-record': 'daily-records',
  medication: 'medications',
  questionnaire: 'questionnaires',
};

/**
 * A request that hangs is treated as lost (and retried; the PUT is idempotent). A save the
 * patient waits for gives up sooner: the entry is already safe on the phone.
 */
const REQUEST_TIMEOUT_MS = 20_000;
const SAVE_TIMEOUT_MS = 8_000;
/** How long a save waits for a send in progress (this tab or another) before it answers "queued". */
const LOCK_WAIT_MS = 3_000;
const RETRY_FIRST_MS = 2_000;
const RETRY_MAX_MS = 60_000;
const LOCK_NAME = 'relief-outbox';
/** Sign-out waits at most this long for waiting entries to go. */
const SIGN_OUT_WAIT_MS = 5_000;

export const entryKey = (patientId: string, kind: EntryKind, id: string) => `${patientId}/${kind}/${id}`;
const entryPath = (patientId: string, kind: EntryKind, id: string) =>
  `/patients/${encodeURIComponent(patientId)}/${ENTRY_PATHS[kind]}/${encodeURIComponent(id)}`;

// ---------------------------------------------------------------------------------------------
// Change notification: this tab's hooks, and other tabs through a BroadcastChannel.

const listeners = new Set<() => void>();
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('relief-outbox');
if (channel) channel.onmessage = () => notifyLocal();

function notifyLocal(): void {
  for (const l of [...listeners]) l();
}
function changed(): void {
  notifyLocal();
  channel?.postMessage('changed');
}

/** This tab's view of sending, for the status line. */
const status = { syncing: false, signInNeeded: false };

function setStatus(next: Partial<typeof status>): void {
  const before = JSON.stringify(status);
  Object.assign(status, next);
  if (JSON.stringify(status) !== before) notifyLocal();
}

function lastSyncedAt(patientId: string): string | null {
  try {
    return localStorage.getItem(SYNCED_KEY(patientId));
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The stores.

const toPending = (s: Stored): Pending => {
  const { rev: _rev, author: _author, maybeSent: _maybe, baseVersion: _base, ...p } = s;
  return p;
};

async function allStored(): Promise<Stored[]> {
  return transact([OUTBOX], 'readonly', (tx) => promised(tx.objectStore(OUTBOX).getAll() as IDBRequest<Stored[]>));
}

async function getStored(key: string): Promise<Stored | undefined> {
  return transact([OUTBOX], 'readonly', (tx) => promised(tx.objectStore(OUTBOX).get(key) as IDBRequest<Stored>));
}

/** Replaces the entry only if it is still the revision `rev` (nothing saved meanwhile). */
async function updateIfRev(key: string, rev: number, next: (s: Stored) => Stored | null): Promise<boolean> {
  return transact([OUTBOX], 'readwrite', async (tx) => {
    const store = tx.objectStore(OUTBOX);
    const s = (await promised(store.get(key))) as Stored | undefined;
    if (!s || s.rev !== rev) return false;
    const n = next(s);
    if (n === null) store.delete(key);
    else store.put(n);
    return true;
  });
}

/** Versions of entries the device learned (pages' reads, our writes): the base of a new change. */
const versionWrites = new Set<Promise<unknown>>();

async function knownVersion(key: string): Promise<number | null> {
  await Promise.all([...versionWrites]);
  const v = await transact([VERSIONS], 'readonly', (tx) => promised(tx.objectStore(VERSIONS).get(key)));
  return typeof v === 'number' ? v : null;
}

/** Versions only grow on the server, so a lower one learned later (an older list) is stale. */
function putVersion(store: IDBObjectStore, key: string, version: number): void {
  const req = store.get(key);
  req.onsuccess = () => {
    const old = req.result as number | undefined;
    if (typeof old !== 'number' || version > old) store.put(version, key);
  };
}

/**
 * A version a page read from the server: the base of the next change of that entry made on this
 * device. An entry already waiting keeps the base it was edited on.
 */
export function rememberVersion(patientId: string, kind: EntryKind, id: string, version: number): void {
  const key = entryKey(patientId, kind, id);
  const write = transact([VERSIONS], 'readwrite', async (tx) => putVersion(tx.objectStore(VERSIONS), key, version))
    .catch(() => undefined)
    .finally(() => versionWrites.delete(write));
  versionWrites.add(write);
}

/**
 * Stores a local change (durably, before any network call). A second change of an entry that is
 * still waiting replaces it: the final state is what counts, made on the same base version.
 * `basedOn` is the server version the page showed when it is not the device's (the server's copy
 * after a conflict). Returns the new record and the one it replaced (to restore it if the server
 * refuses the new one).
 */
async function storeLocally(
  w: { patientId: string; kind: EntryKind; id: string; basedOn?: number },
  body: Record<string, unknown> | null,
): Promise<{ stored: Stored; prior: Stored | undefined }> {
  const key = entryKey(w.patientId, w.kind, w.id);
  await Promise.all([...versionWrites]);
  return transact([OUTBOX, VERSIONS], 'readwrite', async (tx) => {
    const store = tx.objectStore(OUTBOX);
    const prior = (await promised(store.get(key))) as Stored | undefined;
    const known = async () => {
      const v = await promised(tx.objectStore(VERSIONS).get(key));
      return typeof v === 'number' ? v : null;
    };
    const baseVersion = w.basedOn ?? (prior ? (prior.baseVersion ?? null) : await known());
    const stored: Stored = {
      key,
      patientId: w.patientId,
      kind: w.kind,
      id: w.id,
      body,
      state: 'waiting',
      savedAt: new Date().toISOString(),
      rev: (prior?.rev ?? 0) + 1,
      author: remembered()?.id ?? null,
      maybeSent: prior?.maybeSent ?? [],
      baseVersion,
    };
    if (body === null && prior && prior.maybeSent.length === 0 && baseVersion === null) {
      // A deletion of an entry never sent and never seen on the server is only local.
      store.delete(key);
      return { stored: { ...stored, rev: -1 }, prior };
    }
    store.put(stored);
    return { stored, prior };
  });
}

// ---------------------------------------------------------------------------------------------
// Sending one entry.

type Outcome =
  | { kind: 'sent'; version: number | null }
  | { kind: 'waiting'; why: 'offline' | 'server' | 'sign-in' | 'other-user' }
  | { kind: 'rejected'; error: ApiError }
  | { kind: 'gone' };

/** The signed-in user, checked against the server (this also refreshes the CSRF token). */
type SessionCheck = { user: User } | { waiting: 'offline' | 'sign-in' };

async function checkSession(): Promise<SessionCheck> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return { waiting: 'offline' };
  try {
    const user = await loadSession();
    // Signed out, or a new password must be chosen first: the entries go after that.
    if (user === null || user.mustChangePassword) {
      setStatus({ signInNeeded: user === null });
      return { waiting: 'sign-in' };
    }
    setStatus({ signInNeeded: false });
    return { user };
  } catch (e) {
    if (e instanceof NetworkError) return { waiting: 'offline' };
    if (e instanceof ApiError) return { waiting: 'offline' };
    throw e;
  }
}

/** Only the user who saved an entry sends it (a patient's entries wait for that patient). */
function mayCarry(user: User, s: Stored): boolean {
  if (s.author !== null) return s.author === user.id;
  return user.role !== 'patient' || user.patientId === s.patientId;
}

const retryable = (e: ApiError) =>
  e.status === 408 ||
  e.status === 429 ||
  e.status >= 500 ||
  // Two first writes of one key raced; nothing was written by this one.
  (e.status === 409 && typeof e.details.currentVersion !== 'number' && e.details.existingId === undefined);

/** Sends the entry under `key` as it is now. Call only while holding the outbox lock. */
async function sendOne(key: string, user: User, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Outcome> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const s = await getStored(key);
    if (!s) return { kind: 'gone' };
    if (s.state === 'rejected') return { kind: 'rejected', error: toApiError(s.error) };
    if (!mayCarry(user, s)) return { kind: 'waiting', why: 'other-user' };
    if (navigator.onLine === false) return { kind: 'waiting', why: 'offline' };
    // The version the change was made on, never a newer one a page read since.
    const version = s.baseVersion ?? null;
    const sent = canonical(s.body);
    // From here on the server may receive this body even if we never hear back.
    const claimed = await updateIfRev(key, s.rev, (x) => ({
      ...x,
      state: 'sending',
      maybeSent: x.maybeSent.includes(sent) ? x.maybeSent : [...x.maybeSent, sent].slice(-5),
    }));
    if (!claimed) continue;
    changed();
    const path = entryPath(s.patientId, s.kind, s.id);
    const options = { ifMatch: version ?? undefined, signal: AbortSignal.timeout(timeoutMs) };
    try {
      let newVersion: number | null = null;
      if (s.body === null) {
        try {
          await request('DELETE', path, options);
        } catch (e) {
          // Never created (the create was lost) or already gone: the deletion holds.
          if (!(e instanceof ApiError && e.status === 404)) throw e;
        }
      } else {
        newVersion = (await request('PUT', path, { ...options, body: s.body })).version;
      }
      // A deletion makes the next version (the tombstone's): a later save of this id names it.
      if (s.body === null && version !== null) newVersion = version + 1;
      await settle(s, newVersion);
      return { kind: 'sent', version: s.body === null ? null : newVersion };
    } catch (e) {
      if (e instanceof ApiError) {
        if (e.status === 401) {
          setStatus({ signInNeeded: true });
          await backToWaiting(s);
          return { kind: 'waiting', why: 'sign-in' };
        }
        if (e.status === 403 && e.details.reason === 'password_change_required') {
          // The user must choose a new password first; then the entry goes.
          await backToWaiting(s);
          return { kind: 'waiting', why: 'sign-in' };
        }
        if (e.status === 403 && e.details.reason === 'csrf') {
          // The token went stale (signed in again in another tab): fetch a fresh one, once.
          await backToWaiting(s);
          const check = await checkSession();
          if ('waiting' in check) return { kind: 'waiting', why: check.waiting };
          if (check.user.id !== user.id) return { kind: 'waiting', why: 'other-user' };
          continue;
        }
        if (retryable(e)) {
          await backToWaiting(s);
          return { kind: 'waiting', why: 'server' };
        }
        if (e.status === 409 && typeof e.details.currentVersion === 'number') {
          const resolved = await resolveConflict(s, sent, e, timeoutMs);
          if (resolved === 'retry') continue;
          if (resolved !== 'conflict') return resolved;
        }
        await reject(s, e);
        return { kind: 'rejected', error: e };
      }
      if (e instanceof NetworkError || (e instanceof DOMException && e.name === 'TimeoutError')) {
        await backToWaiting(s);
        return { kind: 'waiting', why: 'offline' };
      }
      await backToWaiting(s);
      throw e;
    }
  }
  return { kind: 'waiting', why: 'server' };
}

/**
 * The entry exists on the server with another body or version. It is ours if the server holds
 * what we are sending (done) or a body we sent earlier without hearing back (send again on top
 * of that version); anything else is someone else's change, which the user must see.
 */
async function resolveConflict(
  s: Stored,
  sent: string,
  e: ApiError,
  timeoutMs: number,
): Promise<Outcome | 'retry' | 'conflict'> {
  let current: { data: unknown; version: number } | null;
  try {
    const res = await request<{ data: unknown; version: number }>('GET', entryPath(s.patientId, s.kind, s.id), {
      signal: AbortSignal.timeout(timeoutMs),
    });
    current = res.body;
  } catch (err) {
    if (err instanceof ApiError && err.status === 404)
      current = null; // deleted on the server
    else {
      await backToWaiting(s);
      if (err instanceof ApiError && !retryable(err)) return 'conflict';
      return { kind: 'waiting', why: 'offline' };
    }
  }
  const held = canonical(current?.data ?? null);
  const serverVersion = current?.version ?? (e.details.currentVersion as number);
  if (held === sent) {
    await settle(s, serverVersion);
    return { kind: 'sent', version: current ? serverVersion : null };
  }
  if (s.maybeSent.includes(held)) {
    // The server holds our own earlier body: the change goes on top of that version.
    await transact([VERSIONS], 'readwrite', async (tx) => putVersion(tx.objectStore(VERSIONS), s.key, serverVersion));
    await updateIfRev(s.key, s.rev, (x) => ({ ...x, state: 'waiting', baseVersion: serverVersion }));
    changed();
    return 'retry';
  }
  return 'conflict';
}

/** The server confirmed `s`: remember the version, and forget the entry unless it changed meanwhile. */
async function settle(s: Stored, version: number | null): Promise<void> {
  await transact([OUTBOX, VERSIONS], 'readwrite', async (tx) => {
    const versions = tx.objectStore(VERSIONS);
    if (version !== null) putVersion(versions, s.key, version);
    else if (s.body === null) versions.delete(s.key);
    const store = tx.objectStore(OUTBOX);
    const now = (await promised(store.get(s.key))) as Stored | undefined;
    if (!now) return;
    if (now.rev === s.rev) store.delete(s.key);
    // Saved again while this was on its way: the server holds what was sent, the new body waits
    // and goes on top of it.
    else store.put({ ...now, maybeSent: [canonical(s.body)], baseVersion: version });
  });
  try {
    localStorage.setItem(SYNCED_KEY(s.patientId), new Date().toISOString());
  } catch {
    // Storage full or blocked: only the "last sent" line is affected.
  }
  changed();
}

async function backToWaiting(s: Stored): Promise<void> {
  await updateIfRev(s.key, s.rev, (x) => ({ ...x, state: 'waiting' }));
  changed();
}

async function reject(s: Stored, e: ApiError): Promise<void> {
  await updateIfRev(s.key, s.rev, (x) => ({
    ...x,
    state: 'rejected',
    error: { status: e.status, code: e.code, message: e.message, issues: e.issues, details: e.details },
  }));
  changed();
}

function toApiError(error: Pending['error']): ApiError {
  return new ApiError(
    error?.status ?? 400,
    error?.code ?? 'invalid',
    error?.message ?? '',
    error?.issues ?? [],
    error?.details ?? {},
  );
}

// ---------------------------------------------------------------------------------------------
// One sender at a time, across tabs (Web Locks), so two tabs never send one entry together.

let localChain: Promise<unknown> = Promise.resolve();

async function withLock<T>(waitMs: number | null, fn: () => Promise<T>): Promise<T | 'busy'> {
  if (typeof navigator !== 'undefined' && navigator.locks) {
    try {
      return await navigator.locks.request(
        LOCK_NAME,
        waitMs === null ? {} : { signal: AbortSignal.timeout(waitMs) },
        fn,
      );
    } catch (e) {
      if (e instanceof DOMException && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'busy';
      throw e;
    }
  }
  const run = localChain.then(fn, fn);
  localChain = run.catch(() => undefined);
  return run;
}

let retryTimer: ReturnType<typeof setTimeout> | null = null;
let retryDelay = RETRY_FIRST_MS;

function scheduleRetry(): void {
  if (retryTimer !== null) return;
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void flushOutbox();
  }, retryDelay);
  retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
}

function resetRetry(): void {
  retryDelay = RETRY_FIRST_MS;
  if (retryTimer !== null) clearTimeout(retryTimer);
  retryTimer = null;
}

let flushing: Promise<void> | null = null;
let flushAgain = false;

/** Sends everything waiting that the signed-in user may send; one flush at a time per tab. */
export function flushOutbox(): Promise<void> {
  if (flushing) {
    flushAgain = true;
    return flushing;
  }
  flushing = (async () => {
    setStatus({ syncing: true });
    try {
      do {
        flushAgain = false;
        await withLock(null, flushAll);
      } while (flushAgain);
    } finally {
      flushing = null;
      setStatus({ syncing: false });
    }
  })();
  return flushing;
}

async function flushAll(): Promise<void> {
  let waiting = (await allStored()).filter((s) => s.state !== 'rejected');
  if (waiting.length === 0) {
    resetRetry();
    return;
  }
  const check = await checkSession();
  if ('waiting' in check) {
    if (check.waiting === 'offline') scheduleRetry();
    return;
  }
  const tried = new Map<string, number>();
  for (;;) {
    waiting = (await allStored())
      .filter((s) => s.state !== 'rejected' && mayCarry(check.user, s) && tried.get(s.key) !== s.rev)
      .sort((a, b) => (a.savedAt < b.savedAt ? -1 : 1));
    const next = waiting[0];
    if (!next) break;
    tried.set(next.key, next.rev);
    const outcome = await sendOne(next.key, check.user);
    if (outcome.kind === 'waiting') {
      // Offline, the server in trouble, or signed out: the rest would fare the same.
      if (outcome.why !== 'sign-in') scheduleRetry();
      return;
    }
  }
  resetRetry();
}

// ---------------------------------------------------------------------------------------------
// The API of the outbox for pages.

async function sendNow(key: string): Promise<Outcome> {
  const result = await withLock(LOCK_WAIT_MS, async (): Promise<Outcome> => {
    const check = await checkSession();
    if ('waiting' in check) return { kind: 'waiting', why: check.waiting };
    return sendOne(key, check.user, SAVE_TIMEOUT_MS);
  });
  return result === 'busy' ? { kind: 'waiting', why: 'server' } : result;
}

/** The server refused the new change: the user sees why; an earlier unsent change still counts. */
async function restore(stored: Stored, prior: Stored | undefined): Promise<void> {
  await transact([OUTBOX], 'readwrite', async (tx) => {
    const store = tx.objectStore(OUTBOX);
    const now = (await promised(store.get(stored.key))) as Stored | undefined;
    if (!now || now.rev !== stored.rev) return;
    if (prior) {
      store.put({
        ...prior,
        state: prior.state === 'sending' ? 'waiting' : prior.state,
        rev: now.rev + 1,
        maybeSent: now.maybeSent,
      });
    } else store.delete(stored.key);
  });
  changed();
}

/**
 * Stores the write on the device (IndexedDB) BEFORE anything else, then tries to send it.
 * Resolves {state:'sent', version} when the server confirmed it within this call,
 * {state:'queued', version:null} when it waits for a connection. Rejects with ApiError (and
 * keeps nothing of this change queued; an earlier unsent change of the entry still waits) when
 * the server answered with an error retrying cannot fix (400 validation, 403, 404, 409
 * conflict), so the page can show the API's messages.
 */
export async function saveEntry(w: {
  patientId: string;
  kind: EntryKind;
  id: string;
  body: Record<string, unknown>;
  /** The version of the server's copy the page showed instead of the device's (see conflictCopy). */
  basedOn?: number;
}): Promise<{ state: 'sent' | 'queued'; version: number | null }> {
  let local: Awaited<ReturnType<typeof storeLocally>>;
  try {
    local = await storeLocally(w, w.body);
  } catch (storageError) {
    return { state: 'sent', version: await sendWithoutStorage(w, w.body, storageError) };
  }
  const { stored, prior } = local;
  changed();
  const outcome = await sendNow(stored.key);
  return finish(stored, prior, outcome, (version) => ({ state: 'sent' as const, version }), {
    state: 'queued' as const,
    version: null,
  });
}

export async function deleteEntry(w: {
  patientId: string;
  kind: EntryKind;
  id: string;
  basedOn?: number;
}): Promise<{ state: 'sent' | 'queued' }> {
  let local: Awaited<ReturnType<typeof storeLocally>>;
  try {
    local = await storeLocally(w, null);
  } catch (storageError) {
    await sendWithoutStorage(w, null, storageError);
    return { state: 'sent' };
  }
  const { stored, prior } = local;
  changed();
  if (stored.rev === -1) return { state: 'sent' };
  const outcome = await sendNow(stored.key);
  return finish(stored, prior, outcome, () => ({ state: 'sent' as const }), { state: 'queued' as const });
}

async function finish<S, Q>(
  stored: Stored,
  prior: Stored | undefined,
  outcome: Outcome,
  sent: (version: number | null) => S,
  queued: Q,
): Promise<S | Q> {
  if (outcome.kind === 'rejected') {
    await restore(stored, prior);
    throw outcome.error;
  }
  if (outcome.kind === 'sent') {
    void flushOutbox(); // others may wait behind this one
    return sent(outcome.version);
  }
  // Sent meanwhile by another tab.
  if (outcome.kind === 'gone') return sent(await knownVersion(stored.key));
  scheduleRetry();
  askToKeepStorage();
  return queued;
}

/**
 * The device cannot store the entry (IndexedDB blocked or full): send it at once, so it is saved
 * if the server can be reached; otherwise the page shows the error and keeps the form filled.
 */
async function sendWithoutStorage(
  w: { patientId: string; kind: EntryKind; id: string },
  body: Record<string, unknown> | null,
  storageError: unknown,
): Promise<number | null> {
  const path = entryPath(w.patientId, w.kind, w.id);
  const signal = AbortSignal.timeout(SAVE_TIMEOUT_MS);
  try {
    if (body === null) {
      await request('DELETE', path, { signal });
      return null;
    }
    return (await request('PUT', path, { body, signal })).version;
  } catch (e) {
    // Already gone: the deletion holds.
    if (body === null && e instanceof ApiError && e.status === 404) return null;
    console.warn('diary entry not stored on this device', storageError);
    throw e;
  }
}

let persistenceAsked = false;

/** Entries wait on the phone: ask the browser not to evict them when storage runs short. */
function askToKeepStorage(): void {
  if (persistenceAsked || typeof navigator === 'undefined' || !navigator.storage?.persist) return;
  persistenceAsked = true;
  void navigator.storage.persist().catch(() => false);
}

/** What is still on the device for this patient (waiting or rejected), newest first. */
export async function pendingEntries(patientId: string, kind?: EntryKind): Promise<Pending[]> {
  const all = await transact([OUTBOX], 'readonly', (tx) =>
    promised(tx.objectStore(OUTBOX).index('patientId').getAll(patientId) as IDBRequest<Stored[]>),
  );
  return all
    .filter((s) => kind === undefined || s.kind === kind)
    .sort((a, b) => (a.savedAt < b.savedAt ? 1 : -1))
    .map(toPending);
}

/**
 * The server's current copy of an entry the server refused because it was changed elsewhere, for
 * the page where the patient corrects it: they edit that copy (saving with `basedOn: version`),
 * so nothing they have not seen is overwritten. `data` null: deleted elsewhere. Null when no such
 * conflict waits, or when the server cannot be reached (the device's copy is then shown, and
 * saving it is refused again rather than overwriting).
 */
export async function conflictCopy(
  patientId: string,
  kind: EntryKind,
  id: string,
  signal?: AbortSignal,
): Promise<{ data: Record<string, unknown> | null; version: number } | null> {
  const s = await getStored(entryKey(patientId, kind, id));
  const current = s?.error?.details?.currentVersion;
  if (s?.state !== 'rejected' || s.error?.status !== 409 || typeof current !== 'number') return null;
  try {
    const res = await request<{ data: Record<string, unknown>; version: number }>(
      'GET',
      entryPath(patientId, kind, id),
      {
        signal,
      },
    );
    return { data: res.body.data, version: res.body.version };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return { data: null, version: current };
    if (e instanceof NetworkError) return null;
    throw e;
  }
}

/** Forgets an entry on this device (the user confirmed it). */
export async function discardEntry(key: string): Promise<void> {
  await transact([OUTBOX], 'readwrite', async (tx) => tx.objectStore(OUTBOX).delete(key));
  changed();
}

export interface OutboxView {
  /** False until the device's outbox was read. */
  ready: boolean;
  waiting: number;
  rejected: Pending[];
  syncing: boolean;
  lastSyncedAt: string | null;
  /** The server answered 401: the entries go after the user signs in again. */
  signInNeeded: boolean;
  /** The browser reports a network connection (no promise that the server answers). */
  online: boolean;
  syncNow(): void;
  discard(key: string): Promise<void>;
}

/** React hook: re-renders when the outbox changes. */
export function useOutbox(patientId: string | null): OutboxView {
  // null until read from the device: "all sent" must not show before we know.
  const [entries, setEntries] = useState<Pending[] | null>(null);
  const [, setTick] = useState(0);

  useEffect(() => {
    setEntries(null);
    if (patientId === null) return;
    let live = true;
    const read = () => {
      setTick((t) => t + 1);
      pendingEntries(patientId).then(
        (p) => live && setEntries(p),
        () => undefined,
      );
    };
    listeners.add(read);
    window.addEventListener('online', read);
    window.addEventListener('offline', read);
    read();
    // Opening a page of this patient is a good moment to send what waits.
    void flushOutbox();
    return () => {
      live = false;
      listeners.delete(read);
      window.removeEventListener('online', read);
      window.removeEventListener('offline', read);
    };
  }, [patientId]);

  const syncNow = useCallback(() => {
    resetRetry();
    void flushOutbox();
  }, []);

  return {
    ready: entries !== null,
    waiting: (entries ?? []).filter((e) => e.state !== 'rejected').length,
    rejected: (entries ?? []).filter((e) => e.state === 'rejected'),
    syncing: status.syncing,
    lastSyncedAt: patientId === null ? null : lastSyncedAt(patientId),
    signInNeeded: status.signInNeeded,
    online: typeof navigator === 'undefined' || navigator.onLine !== false,
    syncNow,
    discard: discardEntry,
  };
}

let started = false;

/** Sends what waits now, when the connection comes back, and when the app is shown again. */
export function startOutbox(): void {
  if (started || typeof window === 'undefined') return;
  started = true;
  window.addEventListener('online', () => {
    resetRetry();
    void flushOutbox();
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void flushOutbox();
  });
  // Entries that cannot go now stay on the device and go when their author signs in again.
  onBeforeSignOut(() => Promise.race([flushOutbox(), new Promise((done) => setTimeout(done, SIGN_OUT_WAIT_MS))]));
  void flushOutbox();
}
