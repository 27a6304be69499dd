// Practice calls: the browser's identity is its HttpOnly cookie, so no credential is passed here.
import type { PracticeAttempt, PracticeExerciseDetail, PracticeLearn, StartAttemptRequest } from '../../../common/practice.ts';
import { requestJson } from '../api.ts';

export const practiceApi = {
  exercise: (slug: string) => requestJson<PracticeExerciseDetail>('GET', `/api/practice/exercises/${encodeURIComponent(slug)}`),
  start: (req: StartAttemptRequest) => requestJson<PracticeAttempt>('POST', '/api/practice/attempts', req),
  learn: (id: string) => requestJson<PracticeLearn>('GET', `/api/practice/attempts/${encodeURIComponent(id)}/learn`),
};

/** Minutes and seconds of the clock the attempt used ("12:05"), or "–" before its start. */
export function timeUsed(a: PracticeAttempt, now = Date.now()): string {
  if (a.startedAt === null) return '–';
  const s = Math.max(0, Math.round(((a.endedAt ?? now) - a.startedAt) / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Where an attempt is best opened: its report once submitted, else its room. */
export function attemptHref(a: PracticeAttempt): string {
  return a.status === 'ended' ? `${a.replay}/report` : a.link;
}
