// Who may do what, in one place. The server enforces it on every socket event and review route;
// the client imports it only to decide which controls to show. No runtime dependencies.
import type { ErrorCode, Role, SessionStatus } from './protocol.ts';

export type Mode = 'interview' | 'practice';

/** The room's roles plus 'review': the holder of a review link (replay and report, nothing live). */
export type PolicyRole = Role | 'review';

export type Action =
  | 'doc:read'
  | 'doc:write'
  | 'awareness'
  | 'run'
  /** Compile the solution with the scratch file and run it with typed stdin (common/console.ts). */
  | 'console'
  | 'timer:start'
  | 'timer:add'
  /** End now: the interviewer ends early; a student submits. */
  | 'timer:end'
  | 'note'
  /** Send a chat message to the room (everyone in it reads the chat; so does the review). */
  | 'chat'
  /** Join the room's audio/video call and signal to its members (common/call.ts). */
  | 'call'
  /** Integrity signals (pastes, focus) that the candidate's page reports about itself. */
  | 'signal'
  /** Replay, report and export of the whole session (notes and signals included; hidden cases per 'see:hidden'). */
  | 'review'
  /** Run the tests on the code as it stood at an instant of the replay. */
  | 'review:test'
  | 'scorecard'
  /**
   * What a hidden case's program produced: output, stderr, its fault and time. Without it a hidden
   * case is its name and status only (common/redact.ts), wherever a run leaves the server.
   */
  | 'see:hidden'
  /** Practice: reveal the exercise's next hint during an attempt (recorded on the timeline). */
  | 'hint'
  /** Practice: what to learn from a submitted attempt (what each case tests, the previous attempt, the history). */
  | 'learn'
  /** The interviewer's guide and the reference solution, read-only in the room's side panel. */
  | 'guide';

export interface Denial {
  code: Extract<ErrorCode, 'forbidden' | 'conflict' | 'session_ended'>;
  message: string;
}

type Statuses = readonly SessionStatus[];
const ANY: Statuses = ['waiting', 'live', 'ended'];
const OPEN: Statuses = ['waiting', 'live'];
const LIVE: Statuses = ['live'];
const ENDED: Statuses = ['ended'];

/** Per mode, action and role: the statuses in which it is allowed. A missing role is forbidden. */
type Table = Readonly<Record<Action, Partial<Record<PolicyRole, Statuses>>>>;

const INTERVIEW: Table = {
  'doc:read': { mentor: ANY, candidate: ANY, observer: ANY },
  // The clock is the candidate's budget: no head start before the mentor starts it.
  'doc:write': { mentor: OPEN, candidate: LIVE },
  awareness: { mentor: ANY, candidate: ANY, observer: ANY },
  run: { mentor: OPEN, candidate: LIVE },
  console: { mentor: OPEN, candidate: LIVE },
  'timer:start': { mentor: OPEN },
  'timer:add': { mentor: OPEN },
  'timer:end': { mentor: OPEN },
  note: { mentor: ANY },
  // The discussion often follows the coding, so the chat stays open once the session ended.
  chat: { mentor: ANY, candidate: ANY },
  // As the chat: the discussion follows the coding. Observer links are read-only links: no call.
  call: { mentor: ANY, candidate: ANY },
  signal: { candidate: LIVE },
  // A replay of a session still running would be a second, unlisted observer link.
  review: { mentor: ENDED, review: ENDED },
  'review:test': { mentor: ENDED, review: ENDED },
  scorecard: { mentor: ENDED },
  // The program can copy its stdin anywhere it writes: only who judges the interview may read it.
  'see:hidden': { mentor: ANY, review: ANY },
  // Interviews have no hints and no "learn" page: what a case tests is for the interviewer to discuss.
  hint: {},
  learn: {},
  // Interviewer material: what to ask and the reference; it would hand the candidate the answer.
  guide: { mentor: ANY },
};

/** A student practising alone holds the candidate link: starts the clock and submits, no extra time. */
const PRACTICE: Table = {
  ...INTERVIEW,
  'doc:read': { candidate: ANY },
  'doc:write': { candidate: LIVE },
  awareness: { candidate: ANY },
  run: { candidate: LIVE },
  console: { candidate: LIVE },
  'timer:start': { candidate: OPEN },
  'timer:add': {},
  'timer:end': { candidate: LIVE },
  note: {},
  chat: {},
  call: {},
  signal: {},
  review: { candidate: ENDED, review: ENDED },
  'review:test': { candidate: ENDED, review: ENDED },
  scorecard: {},
  // Exercises are shared with interviews: a student (or their attempt's review link) never sees them.
  'see:hidden': {},
  // A hint is help on the clock: only while the student's own clock runs.
  hint: { candidate: LIVE },
  // What each hidden case tests, once the attempt is submitted (never its input: see 'see:hidden').
  learn: { candidate: ENDED },
  guide: {},
};

const TABLES: Readonly<Record<Mode, Table>> = { interview: INTERVIEW, practice: PRACTICE };

const ROLE_NAME: Readonly<Record<PolicyRole, string>> = {
  mentor: 'an interviewer',
  candidate: 'a candidate',
  observer: 'an observer',
  review: 'a review link',
};

/** Why `role` may not do `action` now, or null when it may. Role first, then the session's status. */
export function denial(mode: Mode, role: PolicyRole, status: SessionStatus, action: Action): Denial | null {
  const allowed = TABLES[mode][action][role];
  if (!allowed || allowed.length === 0) return { code: 'forbidden', message: `${capitalize(ROLE_NAME[role])} may not do that.` };
  if (allowed.includes(status)) return null;
  if (status === 'ended') return { code: 'session_ended', message: 'The session has ended.' };
  if (status === 'waiting') return { code: 'conflict', message: 'The session has not started yet; this is possible once the timer runs.' };
  return { code: 'conflict', message: 'This is available once the session has ended.' };
}

export function may(mode: Mode, role: PolicyRole, status: SessionStatus, action: Action): boolean {
  return denial(mode, role, status, action) === null;
}

/** Whether the role could ever do the action in this mode (to show a control that is only disabled for now). */
export function mayEver(mode: Mode, role: PolicyRole, action: Action): boolean {
  return (TABLES[mode][action][role]?.length ?? 0) > 0;
}

/** Whether the role gets what hidden cases' programs produced (see 'see:hidden'); the status does not matter. */
export function seesHidden(mode: Mode, role: PolicyRole): boolean {
  return mayEver(mode, role, 'see:hidden');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// ---- Accounts: what a signed-in admin or mentor may do on the dashboard and the API. ----

export type AccountRole = 'admin' | 'mentor';

export type AccountAction =
  /** Create an interview (it is the creator's) or import one. */
  | 'interview:create'
  /** See it in the list, open it, get its links, its board rows. */
  | 'interview:read'
  /** End or archive it, start or extend its clock, join it as interviewer. */
  | 'interview:act'
  | 'interview:delete'
  /** Share it with another mentor, or stop sharing. */
  | 'interview:share'
  /** Give it to another account (e.g. a disabled mentor's interviews). */
  | 'interview:reassign'
  /** Invite, disable and list accounts. */
  | 'accounts:manage'
  | 'audit:read'
  /** Server settings such as retention. */
  | 'settings:write';

/** How an account stands to one interview. 'none' also covers actions not about an interview. */
export type Relation = 'owner' | 'shared' | 'none';

/** Per action and account role: the relations to the interview that allow it. A missing role is refused. */
const ACCOUNTS: Readonly<Record<AccountAction, Partial<Record<AccountRole, readonly Relation[]>>>> = {
  'interview:create': { admin: ['owner', 'shared', 'none'], mentor: ['owner', 'shared', 'none'] },
  'interview:read': { admin: ['owner', 'shared', 'none'], mentor: ['owner', 'shared'] },
  'interview:act': { admin: ['owner', 'shared', 'none'], mentor: ['owner', 'shared'] },
  // Deleting and sharing decide for the whole interview: its owner's, not a co-interviewer's.
  'interview:delete': { admin: ['owner', 'shared', 'none'], mentor: ['owner'] },
  'interview:share': { admin: ['owner', 'shared', 'none'], mentor: ['owner'] },
  'interview:reassign': { admin: ['owner', 'shared', 'none'] },
  'accounts:manage': { admin: ['none'] },
  'audit:read': { admin: ['none'] },
  'settings:write': { admin: ['none'] },
};

/** Whether an account of this role may do the action on an interview it stands to as `relation`. */
export function accountMay(role: AccountRole, action: AccountAction, relation: Relation = 'none'): boolean {
  return ACCOUNTS[action][role]?.includes(relation) ?? false;
}
