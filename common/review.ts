// Review of a finished session: the replay timeline, the report, the scorecard and the export
// format. Shared by the server (which builds and validates them) and the replay/report pages.
import type { PublicExercise } from './exercise.ts';
import type { ImportInfo, Note, Role, RunView, SessionStatus } from './protocol.ts';
import type { Mode, PolicyRole } from './policy.ts';

/** Pastes longer than this are flagged in the timeline and the report. */
export const PASTE_FLAG_CHARS = 200;

/** Timer events, presence and integrity signals, in the order the server recorded them. */
export type TimelineEventType =
  | 'start'
  | 'add'
  | 'end'
  | 'deadline'
  | 'warning'
  | 'join'
  | 'leave'
  | 'paste'
  | 'focus_lost'
  | 'focus_back'
  /** A scratch console run: stdin, the start of stdout and stderr, the exit (common/console.ts). */
  | 'console'
  /** Practice: the student revealed a hint (data: number, text). */
  | 'hint'
  /** A chat message (data: id, text); participantId is its author. */
  | 'chat'
  /** Someone joined or left the call (data: action 'join' | 'leave', audio, video); media is never recorded. */
  | 'call';

export interface TimelineEvent {
  at: number;
  type: TimelineEventType;
  participantId?: string;
  /**
   * 'add': minutes; 'paste': chars, lines, flagged; 'focus_lost': reason; 'focus_back': awayMs;
   * 'console': ConsoleEventData; 'hint': number, text; 'chat': id, text;
   * 'call': action, audio, video (common/call.ts).
   */
  data: Record<string, unknown>;
}

/** What the candidate's page reports about itself (socket 'signal:report'). */
export type SignalReport = { kind: 'paste'; chars: number; lines: number } | { kind: 'focus'; state: 'lost' | 'back'; reason: 'blur' | 'hidden' };

export const CRITERIA = ['correctness', 'fluency', 'debugging', 'communication'] as const;
export type Criterion = (typeof CRITERIA)[number];
export const CRITERION_LABEL: Readonly<Record<Criterion, string>> = {
  correctness: 'Correctness',
  fluency: 'C fluency',
  debugging: 'Testing and debugging',
  communication: 'Communication',
};

/** What each rating means, by its value (index 0 unused). */
export const RATING_LABEL: readonly string[] = ['', '1 · No', '2 · Leaning no', '3 · Leaning yes', '4 · Strong yes'];

/** Ratings 1 (no hire) .. 4 (strong hire); null = not rated. */
export interface Scorecard {
  overall: number | null;
  criteria: Record<Criterion, number | null>;
  text: string;
  updatedAt: number;
  by: string;
}

export const SCORECARD_TEXT_CHARS = 8_000;

export interface ReviewParticipant {
  id: string;
  name: string;
  role: Role;
}

/** A recorded run with where it sits in the document history. */
export interface ReviewRun extends RunView {
  requestedAt: number;
  /** The last document update the graded code contained (null for runs recorded before this existed). */
  updateId: number | null;
}

/** Everything the replay and report pages need, for the mentor or a review link. */
export interface ReviewData {
  session: {
    id: string;
    mode: Mode;
    candidateName: string;
    status: SessionStatus;
    createdAt: number;
    durationMs: number;
    startedAt: number | null;
    deadline: number | null;
    endedAt: number | null;
    /** Set when the session was imported from an export. */
    imported: ImportInfo | null;
  };
  role: PolicyRole;
  exercise: PublicExercise;
  participants: ReviewParticipant[];
  /** The document's update log; bytes are base64. */
  updates: { id: number; at: number; by: string | null; bytes: string }[];
  runs: ReviewRun[];
  events: TimelineEvent[];
  notes: Note[];
  scorecard: Scorecard | null;
  /** Whether this viewer may edit the scorecard. */
  canScore: boolean;
}

/** The versioned export of a whole session (GET /api/review/export, POST /api/import). */
export const EXPORT_FORMAT = 'c-interview-session';
export const EXPORT_VERSION = 1;
