import type { Difficulty } from '../../../common/exercise.ts';

export interface TestCase {
  name: string;
  visible: boolean;
  /** Bytes fed to the driver's stdin. */
  input: string;
  /** One line on what the case tests (exercises:check requires it for hidden cases); never its input. */
  explain?: string;
}

/** An exercise as loaded from disk. Server-side only: it holds the reference solution and hidden cases. */
export interface Exercise {
  slug: string;
  dir: string;
  title: string;
  /** One line for the catalogue. */
  summary: string;
  minutes: number;
  difficulty: Difficulty;
  tags: string[];
  isDefault: boolean;
  /** Practice hints (at most 3), revealed one at a time during an attempt; never sent before that. */
  hints: string[];
  statement: string;
  starter: string;
  /** The scratch console's starter (scratch.c): a main() that calls the API; null when the folder has none. */
  scratch: string | null;
  solution: string;
  /**
   * The interviewer's guide (GUIDE.md, Markdown): what to watch for, follow-up questions, common
   * mistakes. Mentor-only, like the solution; null when the folder has none (exercises:check fails then).
   */
  guide: string | null;
  /** Public headers by file name (include/*.h). */
  headers: Record<string, string>;
  driver: string;
  cases: TestCase[];
  /** Deliberately wrong solutions by file name (wrong/*.c), used by exercises:check. */
  wrong: Record<string, string>;
}

export interface ExerciseCatalog {
  list(): Exercise[];
  get(slug: string): Exercise | undefined;
  defaultExercise: Exercise;
}
