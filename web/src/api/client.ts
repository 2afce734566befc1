/**
 * The Relief API from the browser: JSON over fetch with the session cookie, the CSRF token on
 * every write, and errors as ApiError carrying the server's field issues, so a form shows
 * exactly the messages the API gives.
 */

export interface FieldIssue {
  /** Where the problem is, as the API names it: `body.recipientSites.0.volumeMl`. */
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** No answer at all: offline, the server down, or the connection dropped. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super('no connection to the Relief server', { cause });
    this.name = 'NetworkError';
  }
}

let csrfToken: string | null = null;

/** Set by the session after sign-in or on load (`GET /auth/me` returns it). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export const API = '/api/v1';

export interface ApiResponse<T> {
  status: number;
  body: T;
  /** The record version from the ETag header, when the answer has one. */
  version: number | null;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: { body?: unknown; ifMatch?: number; signal?: AbortSignal } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-csrf-token'] = csrfToken;
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  let res: Response;
  try {
    res = await fetch(API + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new NetworkError(e);
  }
  const text = await res.text();
  const parsed: unknown = text === '' ? undefined : safeJson(text);
  if (!res.ok) {
    const error = (parsed as { error?: Record<string, unknown> } | undefined)?.error ?? {};
    const { code, message, issues, ...details } = error;
    throw new ApiError(
      res.status,
      typeof code === 'string' ? code : 'http_' + res.status,
      typeof message === 'string' ? message : res.statusText,
      Array.isArray(issues) ? (issues as FieldIssue[]) : [],
      details,
    );
  }
  const etag = res.headers.get('etag');
  const m = etag === null ? null : /(\d+)/.exec(etag);
  return { status: res.status, body: parsed as T, version: m ? Number(m[1]) : null };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: 'not_json', message: text.slice(0, 200) } };
  }
}

export const api = {
  get: async <T>(path: string, signal?: AbortSignal) => (await request<T>('GET', path, { signal })).body,
  put: <T>(path: string, body: unknown, ifMatch?: number) => request<T>('PUT', path, { body, ifMatch }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: (path: string, ifMatch?: number) => request<void>('DELETE', path, { ifMatch }),
};

/** A query string from defined values; arrays repeat the key. */
export function query(
  params: Record<string, string | number | boolean | readonly string[] | undefined | null>,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) q.append(k, String(x));
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/** A new client-chosen id for an entry or record (the API's idempotent ids). */
export function newId(): string {
  return crypto.randomUUID();
}
