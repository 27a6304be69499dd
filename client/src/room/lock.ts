// Whether the room's editors are read-only now, and the words for why. Who may write when is the
// policy's (common/policy.ts); this only picks the reason to show, worded for the session's mode.
import { may, mayEver, type Mode } from '../../../common/policy.ts';
import type { SessionStatus, SessionView } from '../../../common/protocol.ts';

/** [message shown when someone types, short form for the editor bar] */
export type EditorLock = readonly [message: string, short: string];

export interface LockInput {
  view: SessionView | null;
  status: SessionStatus;
  /** The shared document synced once (only the first sync gates editing: after a disconnect, typing goes on and syncs later). */
  everSynced: boolean;
  /** The server refused an edit and its copy is coming back (provider.ts). */
  restoring: boolean;
  remainingMs: number;
}

const ENDED: Record<Mode, EditorLock> = {
  interview: ['The interview has ended: the editor is read-only.', 'Read-only: the interview has ended'],
  practice: ['Submitted: the editor is read-only.', 'Read-only: submitted'],
};
const NOT_STARTED: Record<Mode, EditorLock> = {
  interview: ['The editor unlocks when your interviewer starts the timer.', 'Read-only until the timer starts'],
  practice: ['Press Start to begin the attempt.', 'Read-only until you start'],
};

/** Null when this person may type now. */
export function editorLock(l: LockInput): EditorLock | null {
  const { view, status } = l;
  if (!view || !l.everSynced) return ['Connecting to the shared document…', 'Connecting…'];
  if (l.restoring) return ['The server refused an edit: restoring the copy it has saved…', 'Restoring the saved copy…'];
  if (!mayEver(view.mode, view.role, 'doc:write')) return ['Observers can watch but not edit.', 'Read-only: observing'];
  if (status === 'ended' || (status === 'live' && l.remainingMs <= 0)) return ENDED[view.mode];
  if (!may(view.mode, view.role, status, 'doc:write')) return NOT_STARTED[view.mode];
  return null;
}
