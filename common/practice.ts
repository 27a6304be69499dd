// Practice: what the catalogue and "My attempts" pages receive (GET /api/practice/...).
import type { Difficulty } from './exercise.ts';
import type { SessionStatus } from './protocol.ts';

export interface PracticeScore {
  passed: number;
  total: number;
}

export interface PracticeExercise {
  slug: string;
  title: string;
  summary: string;
  difficulty: Difficulty;
  minutes: number;
  tags: string[];
  /** This browser's best submitted score, null before any. */
  best: PracticeScore | null;
  attempts: number;
}

export interface PracticeAttempt {
  id: string;
  exercise: { slug: string; title: string };
  status: SessionStatus;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  durationMs: number;
  /** The final grading (visible and hidden cases), null until submitted. */
  score: PracticeScore | null;
  /** The attempt's room (path). */
  link: string;
  /** Its replay (path), open once submitted. */
  replay: string;
}
