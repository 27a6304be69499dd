// Practice: what the catalogue, exercise, "My attempts" and report pages receive
// (GET /api/practice/...), and the hints revealed during an attempt.
import type { Difficulty, PublicExercise } from './exercise.ts';
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

/** An exercise may carry this many hints (exercise.json), each at most HINT_CHARS characters. */
export const MAX_HINTS = 3;
export const HINT_CHARS = 400;
/** A case's explanation of what it tests (tests/cases.json `explain`): one line. */
export const EXPLAIN_CHARS = 200;

/** A hint as revealed during an attempt (socket 'hint:reveal'); also recorded on the timeline. */
export interface RevealedHint {
  /** 1-based: hints come in the exercise's order. */
  number: number;
  text: string;
  at: number;
}

/** The attempt's hints so far (SessionView.hints, practice only). */
export interface HintsView {
  total: number;
  revealed: RevealedHint[];
}

/** POST /api/practice/attempts. */
export interface StartAttemptRequest {
  exercise: string;
  /** Start the clock at once (the exercise page's Start); otherwise the attempt waits in its room. */
  start?: boolean;
  /** "Try again" from this submitted attempt's code (one of the student's own, same exercise). */
  from?: string;
}

/** GET /api/practice/exercises/:slug: the exercise to read before starting, and this browser's attempts at it. */
export interface PracticeExerciseDetail {
  exercise: PublicExercise;
  /** Oldest first. */
  attempts: PracticeAttempt[];
}

/** What one case tests, in a line; never its input or output. */
export interface CaseLesson {
  name: string;
  visible: boolean;
  explain: string;
}

/** GET /api/practice/attempts/:id/learn, once the attempt is submitted. */
export interface PracticeLearn {
  attempt: PracticeAttempt;
  /** Cases with an explanation (every hidden one), in the exercise's order. */
  lessons: CaseLesson[];
  /** This attempt's final code (solution.c). */
  code: string;
  /** The student's submitted attempt at this exercise just before this one, with its final code. */
  previous: { attempt: PracticeAttempt; code: string } | null;
  /** Every attempt of this browser at this exercise, oldest first, this one included. */
  history: PracticeAttempt[];
}
