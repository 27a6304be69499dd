// The review API, authorised by the link's own token (review link, or the mentor's link). Light:
// the entry page starts loading the review data while the replay's code (Monaco) downloads.
import type { ReviewData, ReviewRun, Scorecard } from '../../../common/review.ts';
import { requestJson } from '../api.ts';

const call = <T>(token: string, method: string, path: string, body?: unknown): Promise<T> => requestJson<T>(method, path, body, token);

export const reviewApi = {
  load: (token: string) => call<ReviewData>(token, 'GET', '/api/review'),
  testMoment: (token: string, updateId: number) => call<ReviewRun>(token, 'POST', '/api/review/test', { updateId }),
  saveScorecard: (token: string, card: Pick<Scorecard, 'overall' | 'criteria' | 'text'>) => call<Scorecard>(token, 'PUT', '/api/review/scorecard', card),
  exportJson: (token: string) => call<unknown>(token, 'GET', '/api/review/export'),
};

/** Saves `content` as a file download. */
export function download(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function fileStem(data: ReviewData): string {
  const who = data.session.candidateName.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'session';
  return `${data.exercise.slug}-${who}`;
}
