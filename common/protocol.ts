// The socket.io contract between browser and server. Both sides import these maps so that an
// event name or payload drift is a type error. Every client event is validated on the server
// (zod) and answered through an ack carrying a Result.
import type { CallJoined, CallMedia, CallMember, CallSignalIn, CallSignalOut, PeerId } from './call.ts';
import type { ConsoleRunView } from './console.ts';
import type { CaseResult, Diagnostic, Fault, GradeStatus, PublicExercise } from './exercise.ts';
import type { Mode } from './policy.ts';
import type { HintsView, RevealedHint } from './practice.ts';
import type { SignalReport, TimelineEvent } from './review.ts';
import { SOURCE_BYTES } from './source-limit.ts';

export type Role = 'mentor' | 'candidate' | 'observer';

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorReply };

export type ErrorCode =
  | 'bad_request' // payload failed validation
  | 'forbidden' // the role may not do this
  | 'not_found'
  | 'conflict' // e.g. a run already in progress, timer already started
  | 'session_ended' // edits and runs after the deadline
  | 'too_large'
  | 'busy' // run queue full
  | 'unavailable' // the exercise is not offered: its expected outputs could not be prepared; HTTP 503
  | 'rate_limited' // too many of something in a period (practice attempts, runs); HTTP 429
  | 'unauthorized' // missing or wrong mentor key / link token (HTTP 401, socket connect_error)
  | 'internal';

export interface ErrorReply {
  code: ErrorCode;
  message: string;
}

export type SessionStatus = 'waiting' | 'live' | 'ended';

/** Timer as the server owns it. Clients correct for their clock offset with serverNow. */
export interface TimerView {
  durationMs: number;
  /** Epoch ms; null while waiting. */
  startedAt: number | null;
  deadline: number | null;
  endedAt: number | null;
  /** The server's clock when this view was sent. */
  serverNow: number;
}

export interface Participant {
  /** Stable per connection token (not the token itself). */
  id: string;
  name: string;
  role: Role;
  online: boolean;
}

/** A run's result as one role may see it: candidates and observers never get hidden cases. */
export interface RunView {
  id: string;
  requestedBy: string;
  at: number;
  /** 'final' is the grading done by the server at the deadline. */
  kind: 'manual' | 'final';
  status: GradeStatus;
  passed: number;
  total: number;
  /** For candidates/observers: visible cases only, plus counts of hidden ones passed. */
  cases: CaseResult[];
  hiddenPassed?: number;
  hiddenTotal?: number;
  diagnostics: Diagnostic[];
  compilerOutput: string;
  /** Fault lines to mark in the editor (visible cases, or all for the mentor). */
  faults: Fault[];
  /** Why the run was refused (status 'rejected'), e.g. the source is too large. */
  error?: string;
  /** A practice attempt's final grading: hidden cases are listed by name and status (never their inputs). */
  hiddenRevealed?: true;
  /**
   * 1-based position among all the session's runs (final included), set in 'session:state'; a
   * 'run:result' arriving live has none and follows the newest number the client knows.
   */
  number?: number;
}

export interface Note {
  id: string;
  at: number;
  text: string;
}

/** A chat message: everyone in the room and the review see it (unlike notes); stored as a 'chat' timeline event. */
export interface ChatMessage {
  id: string;
  at: number;
  participantId: string;
  /** The author's display name and role when the message is sent or listed. */
  name: string;
  role: Role;
  text: string;
}

/** Everything a client needs on (re)connection. */
export interface SessionView {
  id: string;
  role: Role;
  you: Participant;
  candidateName: string;
  status: SessionStatus;
  timer: TimerView;
  exercise: PublicExercise;
  participants: Participant[];
  runs: RunView[];
  mode: Mode;
  /** The latest console run, which everyone in the session saw (common/console.ts). */
  console?: ConsoleRunView;
  /** Mentor only. */
  notes?: Note[];
  /** The chat so far, for every role that may read it (interviews), so a late joiner sees the history. */
  chat?: ChatMessage[];
  /** Mentor only: the candidate's pastes and focus changes so far. */
  signals?: TimelineEvent[];
  /** Practice only: how many hints the exercise has and those revealed so far. */
  hints?: HintsView;
  /** Interview mentor only ('guide' in common/policy.ts): the interviewer's guide and the reference solution. */
  guide?: InterviewerGuide;
}

export interface InterviewerGuide {
  /** GUIDE.md of the exercise (Markdown); null when the exercise has none. */
  markdown: string | null;
  /** The reference solution, shown read-only. */
  solution: string;
}

export interface RunQueued {
  runId: string;
  /** Jobs ahead of this one on the server's runner; 0 = running now. Re-sent as it changes. */
  position: number;
}

export interface ServerToClientEvents {
  'session:state': (view: SessionView) => void;
  /**
   * One participant's presence changed (joined, came back, left): replace the entry with this id
   * in the list from 'session:state'. An observer that is no longer online is removed from it.
   */
  'session:presence': (participant: Participant) => void;
  'timer:update': (timer: TimerView, status: SessionStatus) => void;
  /** Fired at 5 and 1 minutes left. */
  'timer:warning': (minutesLeft: number) => void;
  /** y-protocols sync message (step 1, step 2 or update). */
  'doc:sync': (message: Uint8Array) => void;
  /** y-protocols awareness update. */
  'awareness:update': (update: Uint8Array) => void;
  'run:queued': (queued: RunQueued) => void;
  'run:result': (run: RunView) => void;
  'note:added': (note: Note) => void;
  /** To everyone in the session's room (mentors, candidate, observers). */
  'chat:added': (message: ChatMessage) => void;
  /** Mentors only: an integrity signal from the candidate's page. */
  'signal:added': (event: TimelineEvent) => void;
  /** A scratch console run's queue position (see 'run:queued'), and its result, for everyone. */
  'console:queued': (queued: RunQueued) => void;
  'console:result': (run: ConsoleRunView) => void;
  /** To the call's other members only (common/call.ts): someone joined, left, changed mute or camera. */
  'call:joined': (member: CallMember) => void;
  'call:left': (peerId: PeerId) => void;
  'call:state': (member: CallMember) => void;
  /** An offer, answer or ICE candidate from another member, for this connection only. */
  'call:signal': (signal: CallSignalIn) => void;
}

/**
 * 'doc:sync' messages (both directions) are bare y-protocols sync messages, exactly what
 * `syncProtocol.writeSyncStep1/writeSyncStep2/writeUpdate` put in an encoder, with no outer
 * message-type prefix. The shared text is `doc.getText(DOC_TEXT)`; the server inserts the starter
 * once when the session is created, so clients must never insert it themselves.
 * On connection the server sends 'session:state', then (to mentor and candidate) a sync step 1,
 * then the current awareness states. A client sends its own step 1 on every (re)connection; the
 * server answers with a step 2 on 'doc:sync' before the ack. Observers may only send step 1.
 */
export const DOC_TEXT = 'code';

/**
 * Who may send what is decided by common/policy.ts (role first: 'forbidden'; then the session's
 * status: 'conflict' before the start, 'session_ended' after the end).
 */
export interface ClientToServerEvents {
  /** y-protocols sync message; the ack comes after any update in it is durably stored. */
  'doc:sync': (message: Uint8Array, ack: (result: Result<null>) => void) => void;
  /** The ack is optional (the server answers if one is given). */
  'awareness:update': (update: Uint8Array) => void;
  /** Grades the document as stored on the server; 'conflict' while this session has a run pending. */
  'run:request': (ack: (result: Result<RunQueued>) => void) => void;
  /** waiting -> live; 'conflict' if already live. */
  'timer:start': (ack: (result: Result<TimerView>) => void) => void;
  /** Whole minutes, 1..LIMITS.maxAddMinutes; extends the deadline (or the duration while waiting). */
  'timer:add': (payload: { minutes: number }, ack: (result: Result<TimerView>) => void) => void;
  /** Ends the session now; the final grading follows as a 'run:result' of kind 'final'. */
  'session:end': (ack: (result: Result<TimerView>) => void) => void;
  /** 1..LIMITS.noteChars characters; broadcast as 'note:added' to mentors only. */
  'note:add': (payload: { text: string }, ack: (result: Result<Note>) => void) => void;
  /**
   * 1..LIMITS.chatChars characters after trimming; broadcast as 'chat:added' to the whole room.
   * 'rate_limited' beyond LIMITS.chatPerWindow per participant in LIMITS.chatWindowSeconds,
   * 'too_large' once the session holds LIMITS.chatPerSession messages.
   */
  'chat:send': (payload: { text: string }, ack: (result: Result<ChatMessage>) => void) => void;
  /** The candidate's page reports a paste or a focus change (live sessions only). */
  'signal:report': (payload: SignalReport, ack: (result: Result<null>) => void) => void;
  /**
   * Compiles the stored solution with the scratch file (common/console.ts) and runs it with this
   * stdin (at most CONSOLE_STDIN_BYTES); 'conflict' while this session has a console run pending.
   */
  'console:run': (payload: { stdin: string }, ack: (result: Result<RunQueued>) => void) => void;
  /**
   * Practice, while the clock runs: reveals the exercise's next hint and records it on the
   * timeline; 'conflict' when every hint is shown, 'forbidden' in interviews.
   */
  'hint:reveal': (ack: (result: Result<RevealedHint>) => void) => void;
  /**
   * Joins the session's audio/video call (interviewers and candidate, interviews only); the reply
   * lists the members already in it and the ICE servers. 'conflict' when CALL_LIMITS.members are in.
   */
  'call:join': (payload: CallMedia, ack: (result: Result<CallJoined>) => void) => void;
  'call:leave': (ack: (result: Result<null>) => void) => void;
  /** Mute or camera changed: told to the other members. */
  'call:state': (payload: CallMedia, ack: (result: Result<null>) => void) => void;
  /**
   * Relayed to `to` only if both are in this session's call ('not_found' otherwise); at most
   * CALL_LIMITS.sdpBytes of SDP, CALL_LIMITS.signalsPerWindow per connection ('rate_limited').
   */
  'call:signal': (payload: CallSignalOut, ack: (result: Result<null>) => void) => void;
}

/** Sent in the socket.io handshake: `io(url, { auth })`. */
export interface HandshakeAuth {
  token: string;
  /** Display name for mentors/observers; the candidate's name comes from the session. */
  name?: string;
}

/**
 * A refused socket.io handshake: the client's 'connect_error' has `err.message` (readable) and
 * `err.data` of this shape. 'unauthorized' = unknown or malformed token.
 */
export interface ConnectErrorData {
  code: ErrorCode;
  message: string;
}

export const LIMITS = {
  noteChars: 4_000,
  /** A chat message's characters, messages per participant in a window of seconds, and per session. */
  chatChars: 2_000,
  chatPerWindow: 10,
  chatWindowSeconds: 10,
  chatPerSession: 1_000,
  candidateNameChars: 80,
  /** Mentor and observer display names (handshake `name`). */
  participantNameChars: 80,
  docSyncBytes: 256 * 1024,
  awarenessBytes: 8 * 1024,
  maxAddMinutes: 60,
  /**
   * The shared document (solution and scratch file together) refuses updates that would take it
   * past this many bytes of UTF-8; the same number bounds the source a run compiles.
   */
  docBytes: SOURCE_BYTES,
  minSessionMinutes: 5,
  maxSessionMinutes: 180,
  /** Socket events a connection may send per second on average, and at once. */
  eventsPerSecond: 100,
  eventBurst: 300,
  /**
   * A participant refused (busy, rate_limited, too_large, bad_request) more than this many times
   * beyond refusalsPerSecond, over all their connections, is ignoring the replies (a flood): the
   * server closes each of their connections that is refused again.
   */
  refusalsBeforeDisconnect: 300,
  refusalsPerSecond: 10,
  /** After that, the participant's new connections are refused for this long. */
  floodPauseSeconds: 10,
  /** Stored bytes of one session (document updates + snapshots); edits past it get 'too_large'. */
  sessionStoredBytes: 16 * 1024 * 1024,
  /** Distinct display names one mentor or observer link may use in a session. */
  namesPerLink: 8,
  /** Open connections per link, and per client address (all sessions); more are refused at the handshake. */
  connectionsPerLink: 20,
  connectionsPerAddress: 512,
  /** Awareness (cursor) ids one participant may own in a loaded session. */
  awarenessIdsPerParticipant: 32,
  /** Awareness updates per second (and burst) per participant, and per session. */
  awarenessPerSecond: 30,
  awarenessBurst: 60,
  sessionAwarenessPerSecond: 120,
  sessionAwarenessBurst: 240,
  /**
   * Relaying costs the update's size times its recipients: bytes per second (and burst) of
   * relayed cursor updates per session, so that large states fanned out to a crowded room are
   * bounded by what the server sends, not by how many messages arrive.
   */
  sessionAwarenessRelayBytesPerSecond: 256 * 1024,
  sessionAwarenessRelayBytesBurst: 512 * 1024,
  /** Bytes per second (and burst) of sync step 2 answers per participant, and per session. */
  syncBytesPerSecond: 1024 * 1024,
  syncBytesBurst: 4 * 1024 * 1024,
  sessionSyncBytesPerSecond: 4 * 1024 * 1024,
  sessionSyncBytesBurst: 8 * 1024 * 1024,
  /** Practice: attempts one browser may start per hour, have open at once, and runs per attempt per minute. */
  practiceStartsPerHour: 20,
  practiceOpenAttempts: 2,
  practiceRunsPerMinute: 10,
  /** Practice attempts never started are removed after this many hours. */
  practiceAbandonHours: 24,
} as const;

// ---- HTTP API (JSON). Errors: `{ error: ErrorReply }` with a matching status code. ----
// Mentor routes need `Authorization: Bearer <mentor key>`.
//   GET  /api/health                  -> HealthResponse            (anyone)
//   GET  /api/exercises               -> ExerciseSummary[]         (mentor)
//   GET  /api/sessions                -> SessionSummary[]          (mentor, newest first;
//        ?archived=false|true|all (default false), ?candidate=part of the name)
//   POST /api/sessions                -> 201 SessionSummary        (mentor; body CreateSessionRequest)
//   GET  /api/sessions/:id            -> SessionSummary            (mentor)
//   POST /api/sessions/:id/end        -> SessionSummary            (mentor; ends it, the final grading follows)
//   PATCH /api/sessions/:id           -> SessionSummary            (mentor; body { archived: boolean })
//   DELETE /api/sessions/:id          -> 204                       (mentor; every row of the session goes)

export interface ApiError {
  error: ErrorReply;
}

export interface HealthResponse {
  ok: true;
  /** Server clock, epoch ms. */
  now: number;
}

export interface ExerciseSummary {
  slug: string;
  title: string;
  minutes: number;
  difficulty: PublicExercise['difficulty'];
  isDefault: boolean;
}

/** Capability links, as paths: `/s/<token>` (review: `/r/<token>`). Prefix with the origin. */
export interface SessionLinks {
  mentor: string;
  candidate: string;
  observer: string;
  review: string;
}

export interface SessionSummary {
  id: string;
  exercise: { slug: string; title: string };
  candidateName: string;
  status: SessionStatus;
  createdAt: number;
  durationMs: number;
  startedAt: number | null;
  deadline: number | null;
  endedAt: number | null;
  /** When a mentor archived it (hidden from the dashboard's default list); null otherwise. */
  archivedAt: number | null;
  links: SessionLinks;
  /** The final grading of an ended session; null before it (or when it was never graded). */
  score: SessionScore | null;
  /** The scorecard's overall rating (1-4), null until the interviewer rates it. */
  scorecardOverall: number | null;
  /** Set for a session imported from an export (POST /api/import). */
  imported: ImportInfo | null;
}

export interface SessionScore {
  /** 'ok', or why the final code was not run ('compile_error', 'rejected'): then nothing passed. */
  status: GradeStatus;
  visiblePassed: number;
  visibleTotal: number;
  hiddenPassed: number;
  hiddenTotal: number;
}

export interface ImportInfo {
  importedAt: number;
  /** The exporting server's address, or the uploaded file's name. */
  source: string;
  exportedAt: number;
}

export interface CreateSessionRequest {
  /** Exercise slug; the default exercise when absent. */
  exercise?: string;
  /** Whole minutes, LIMITS.minSessionMinutes..maxSessionMinutes; the exercise's minutes when absent. */
  minutes?: number;
  /** 1..LIMITS.candidateNameChars characters (control characters are stripped). */
  candidateName: string;
}
