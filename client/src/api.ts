// The mentor's HTTP API, JSON errors as ApiError. Signed in with an account, the browser sends its
// HttpOnly cookie and, on changes, the CSRF token from /api/auth/me; a mentor key kept from a
// /mentor#key=... link (MENTOR_KEY, an admin token) goes as a bearer header instead.
import { CSRF_HEADER, type Me } from '../../common/accounts.ts';
import type { CreateSessionRequest, ExerciseSummary, SessionSummary } from '../../common/protocol.ts';

export type { ExerciseSummary, SessionSummary };

const KEY = 'ci.mentorKey';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const mentorKey = {
  get: (): string | null => localStorage.getItem(KEY),
  set: (key: string): void => localStorage.setItem(KEY, key),
  clear: (): void => localStorage.removeItem(KEY),
};

/** The sign-in link is /mentor#key=<key>: keep the key, then strip it from the address bar and history. */
export function takeKeyFromFragment(): void {
  const params = new URLSearchParams(location.hash.slice(1));
  const key = params.get('key');
  if (key) {
    mentorKey.set(key);
    history.replaceState(null, '', location.pathname + location.search);
  }
}

/**
 * A JSON request; an error reply becomes an ApiError with the server's code and message.
 * `authorization` is the mentor key or a link token (or none: practice uses its cookie).
 */
export async function requestJson<T>(method: string, path: string, body?: unknown, authorization?: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (authorization !== undefined) headers['Authorization'] = `Bearer ${authorization}`;
  else if (csrf && method !== 'GET') headers[CSRF_HEADER] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? (res.statusText || 'Request failed'));
  }
  return data as T;
}

/** The signed-in account's CSRF token (from /api/auth/me or the sign-in reply). */
let csrf: string | null = null;

/** The key when signed in with one; else undefined, and the cookie authorises. */
export const mentorAuth = (): string | undefined => mentorKey.get() ?? undefined;

const call = <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> => requestJson<T>(method, path, body, mentorAuth());

/** Who is signed in (keeps the CSRF token), or null when nobody is (or the kept key is wrong). */
export async function whoAmI(): Promise<Me | null> {
  const me = await call<Me | null>('GET', '/api/auth/me');
  csrf = me?.csrf ?? null;
  return me;
}

export const auth = {
  async login(email: string, password: string): Promise<Me> {
    const me = await requestJson<Me>('POST', '/api/auth/login', { email, password });
    csrf = me.csrf;
    return me;
  },
  async accept(invite: string, name: string, email: string, password: string): Promise<Me> {
    const me = await requestJson<Me>('POST', '/api/auth/accept', { invite, name, email, password });
    csrf = me.csrf;
    return me;
  },
  logout: () => call<null>('POST', '/api/auth/logout'),
  changePassword: (current: string, next: string) => call<null>('POST', '/api/auth/password', { current, next }),
};

/** Routes of the team pages (admin) and the tokens page. */
export const teamApi = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body?: unknown) => call<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => call<T>('PUT', path, body),
  del: (path: string) => call<null>('DELETE', path),
};

/** Which interviews the dashboard lists. */
export interface SessionQuery {
  archived?: 'false' | 'true' | 'all';
  /** Part of the candidate's name. */
  candidate?: string;
}

const sessionPath = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;

export const api = {
  exercises: () => call<ExerciseSummary[]>('GET', '/api/exercises'),
  sessions: (q: SessionQuery = {}) => {
    const params = new URLSearchParams();
    if (q.archived && q.archived !== 'false') params.set('archived', q.archived);
    if (q.candidate?.trim()) params.set('candidate', q.candidate.trim());
    const query = params.toString();
    return call<SessionSummary[]>('GET', `/api/sessions${query ? `?${query}` : ''}`);
  },
  endSession: (id: string) => call<SessionSummary>('POST', `${sessionPath(id)}/end`),
  archiveSession: (id: string, archived: boolean) => call<SessionSummary>('PATCH', sessionPath(id), { archived }),
  deleteSession: (id: string) => call<null>('DELETE', sessionPath(id)),
  createSession: (body: CreateSessionRequest) => call<SessionSummary>('POST', '/api/sessions', body),
  /** `fileName`: the source the dashboard shows when the export does not name its server. */
  importSession: (exported: unknown, fileName: string) => call<SessionSummary>('POST', `/api/import?file=${encodeURIComponent(fileName.slice(0, 200))}`, exported),
};

/** Links may come back as paths or absolute URLs; people copy absolute ones. */
export function absoluteLink(link: string): string {
  return new URL(link, location.origin).href;
}
