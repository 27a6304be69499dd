// Who a connection is: shared by the session service, its parts (edits.ts, timer-control.ts,
// session-view.ts) and its callers, who import it through service.ts. What it reports is bus.ts.
import type { Mode } from '../../../common/policy.ts';
import type { Role } from '../../../common/protocol.ts';
import type { ParticipantRecord } from '../store/types.ts';

/** Who a connection is. */
export interface Identity {
  sessionId: string;
  /** The session's mode, which with the role decides what it may see (common/policy.ts). */
  mode: Mode;
  role: Role;
  participant: ParticipantRecord;
}
