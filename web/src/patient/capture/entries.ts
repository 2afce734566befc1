import type { Attack, DailyRecord } from '../../../../src/domain/diary';
import { api, ApiError, NetworkError, query } from '../../api/client';
import { ENTRY_PATHS, type EntryKind, type Pending, pendingEntries, rememberVersion } from '../../offline/outbox';

/**
 * Diary entries as the capture screens show them: what the server holds, with what is still on
 * the device (waiting, or refused) laid over it, so an entry saved offline shows at once.
 */

export type AttackBody = Attack;
export type DailyRecordBody = DailyRecord;

export interface Shown<T> {
  id: string;
  data: T;
  /** Not on the server yet (waiting or being sent), or refused by it; null when confirmed. */
  pending: Pending['state'] | null;
}

interface EntryAnswer {
  id: string;
  version: number;
  data: Record<string, unknown>;
}

export const entriesPath = (patientId: string, kind: EntryKind) =>
  `/patients/${encodeURIComponent(patientId)}/${ENTRY_PATHS[kind]}`;

/** The local dates an entry's body names (an attack: its start's and end's; a record: its date). */
function datesOf(kind: EntryKind, body: Record<string, unknown>): { first: string; last: string | null } {
  if (kind === 'attack') {
    const a = body as AttackBody;
    return { first: a.start.slice(0, 10), last: a.end === undefined ? null : a.end.slice(0, 10) };
  }
  const date = typeof body.date === 'string' ? body.date : String(body.takenAt ?? '').slice(0, 10);
  return { first: date, last: date };
}

/**
 * The entries of a kind whose days meet `from`–`to`, server and device merged. Offline, only
 * the device's entries (the `offline` flag says so).
 */
export async function loadEntries<T>(
  patientId: string,
  kind: EntryKind,
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<{ items: Shown<T>[]; offline: boolean }> {
  const byId = new Map<string, Shown<T>>();
  let offline = false;
  try {
    const { items } = await api.get<{ items: EntryAnswer[] }>(
      `${entriesPath(patientId, kind)}${query({ from, to })}`,
      signal,
    );
    for (const e of items) {
      rememberVersion(patientId, kind, e.id, e.version);
      byId.set(e.id, { id: e.id, data: e.data as T, pending: null });
    }
  } catch (e) {
    if (!(e instanceof NetworkError)) throw e;
    offline = true;
  }
  for (const p of await pendingEntries(patientId, kind)) {
    if (p.body === null) {
      byId.delete(p.id);
      continue;
    }
    const { first, last } = datesOf(kind, p.body);
    // An ongoing attack reaches into the days after its start.
    if (first > to || (last !== null && last < from)) continue;
    byId.set(p.id, { id: p.id, data: p.body as T, pending: p.state });
  }
  return { items: [...byId.values()], offline };
}

/** One entry, server and device merged; null when neither has it (or it was deleted). */
export async function loadEntry<T>(
  patientId: string,
  kind: EntryKind,
  id: string,
  signal?: AbortSignal,
): Promise<Shown<T> | null> {
  const pending = (await pendingEntries(patientId, kind)).find((p) => p.id === id);
  let server: Shown<T> | null = null;
  try {
    const e = await api.get<EntryAnswer>(`${entriesPath(patientId, kind)}/${encodeURIComponent(id)}`, signal);
    rememberVersion(patientId, kind, e.id, e.version);
    server = { id: e.id, data: e.data as T, pending: null };
  } catch (e) {
    const missing = e instanceof ApiError && e.status === 404;
    if (!missing && !(e instanceof NetworkError && pending !== undefined)) throw e;
  }
  if (pending) return pending.body === null ? null : { id, data: pending.body as T, pending: pending.state };
  return server;
}
