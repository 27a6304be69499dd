// The mentor's HTTP API: bearer key from localStorage, JSON errors as ApiError.
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

const call = <T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> => requestJson<T>(method, path, body, mentorKey.get() ?? '');

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

