// Who is in a session, as others see it: bounded names per link, presence changes as single
// entries (not the whole list per join), and cursor labels taken from participant records.
import type { Participant, Role } from '../../../common/protocol.ts';
import { LIMITS } from '../../../common/protocol.ts';
import type { ParticipantRecord, Store } from '../store/types.ts';
import type { AwarenessAuthor } from './doc.ts';
import { ServiceError } from './errors.ts';
import type { Live } from './live.ts';
import { participantId } from './tokens.ts';

/** Same hash and palette as client/src/editor/colors.ts, so cursors match the presence dots. */
const PALETTE = ['#e5534b', '#3b82f6', '#16a34a', '#d97706', '#9333ea', '#0891b2', '#db2777', '#65a30d'];
export function colorFor(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length] ?? '#3b82f6';
}

export function awarenessAuthor(p: ParticipantRecord): AwarenessAuthor {
  return { participantId: p.id, name: p.name, color: colorFor(p.id), ...(p.role === 'observer' ? { noCursor: true } : {}) };
}

/**
 * The participant a link joins as: an existing one with that role and name, or a new one (a
 * permanent row, so bounded per link by checkNewName).
 */
export async function participantNamed(store: Store, live: Live, role: Role, name: string, now: number): Promise<ParticipantRecord> {
  const have = [...live.participants.values()].find((p) => p.role === role && p.name === name);
  if (have) return have;
  checkNewName(live, role, live.namesPending);
  live.namesPending++;
  let created: ParticipantRecord;
  try {
    created = await store.ensureParticipant({ id: participantId(), sessionId: live.record.id, role, name, firstSeen: now });
  } finally {
    live.namesPending--;
  }
  live.participants.set(created.id, created);
  return created;
}

/**
 * Refuses a new display name on a link that already has LIMITS.namesPerLink of them: every name
 * is a permanent participant row, so one link must not be able to mint them without bound.
 * `reserved` holds names being created right now (their rows are not in `live` yet).
 */
export function checkNewName(live: Live, role: Role, reserved: number): void {
  if (role === 'candidate') return;
  let used = reserved;
  for (const p of live.participants.values()) if (p.role === role) used++;
  if (used >= LIMITS.namesPerLink) {
    throw new ServiceError('conflict', `This link already has ${LIMITS.namesPerLink} names in this session; join with one of them.`);
  }
}

export function presenceOf(live: Live, p: ParticipantRecord): Participant {
  return { id: p.id, name: p.name, role: p.role, online: (live.online.get(p.id) ?? 0) > 0 };
}

/** The list in 'session:state': everyone but observers who are not here (they come and go). */
export function participantsOf(live: Live): Participant[] {
  return [...live.participants.values()].map((p) => presenceOf(live, p)).filter((p) => p.online || p.role !== 'observer');
}
