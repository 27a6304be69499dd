// The room's chat: interviewer(s) and candidate talk, observers read. Each message is a 'chat' event
// on the session's timeline (data: id, text; participantId: the author), so the replay, the report,
// the export and the import carry it with no table of its own. Bounded per participant (a sliding
// window) and per session (a count kept in memory, read once from the store).
import crypto from 'node:crypto';
import { LIMITS, type ChatMessage, type Result } from '../../../common/protocol.ts';
import type { EventRecord, Store } from '../store/types.ts';
import { fail, ok } from './errors.ts';
import type { Enter } from './guard.ts';
import type { Live } from './live.ts';
import { nameOf } from './live.ts';
import type { Emit } from './bus.ts';
import type { Identity } from './service-types.ts';
import type { Clock } from './timer.ts';
import { cleanText } from './views.ts';
import { WindowLimits } from '../sliding-window.ts';

export interface ChatDeps {
  store: Store;
  clock: Clock;
  enter: Enter;
  emit: Emit;
}

/** A stored 'chat' event as the room shows it; names and roles come from the session's participants. */
export function chatMessageOf(live: Pick<Live, 'participants'>, e: Pick<EventRecord, 'at' | 'participantId' | 'data'>): ChatMessage {
  const participantId = e.participantId ?? '';
  const author = live.participants.get(participantId);
  return {
    id: String(e.data['id'] ?? ''),
    at: e.at,
    participantId,
    name: author?.name ?? 'Someone',
    role: author?.role ?? 'observer',
    text: String(e.data['text'] ?? ''),
  };
}

export function chatHistory(live: Pick<Live, 'participants'>, events: readonly EventRecord[]): ChatMessage[] {
  return events.filter((e) => e.type === 'chat').map((e) => chatMessageOf(live, e));
}

export class Chat {
  /** Messages stored per session (loaded once from the store, then counted here). */
  private counts = new Map<string, number>();
  private loading = new Map<string, Promise<number>>();
  /** Accepted messages per `${session}/${participant}`, in the sliding window. */
  private readonly recent: WindowLimits;

  constructor(private readonly d: ChatDeps) {
    this.recent = new WindowLimits(LIMITS.chatPerWindow, LIMITS.chatWindowSeconds * 1000, () => d.clock.now());
  }

  async send(who: Identity, text: string): Promise<Result<ChatMessage>> {
    const { live, refusal } = this.d.enter(who, 'chat');
    if (refusal) return refusal;
    const clean = cleanText(text).trim();
    if (clean === '') return fail('bad_request', 'The message is empty.');
    const sessionId = live.record.id;
    const now = this.d.clock.now();
    const key = `${sessionId}/${who.participant.id}`;
    const waitS = this.recent.waitS(key);
    if (waitS > 0) {
      return fail('rate_limited', `At most ${LIMITS.chatPerWindow} messages every ${LIMITS.chatWindowSeconds} seconds; wait ${waitS} s.`);
    }
    await this.count(sessionId);
    // Checked and counted with no await in between, so two messages at once cannot both take the last place.
    const stored = this.counts.get(sessionId) ?? 0;
    if (stored >= LIMITS.chatPerSession) return fail('too_large', `This session's chat is full (${LIMITS.chatPerSession.toLocaleString('en-US')} messages).`);
    this.counts.set(sessionId, stored + 1);
    this.recent.record(key);
    const id = crypto.randomUUID();
    try {
      await this.d.store.addEvent(sessionId, { at: now, type: 'chat', participantId: who.participant.id, data: { id, text: clean } });
    } catch (err) {
      this.counts.set(sessionId, (this.counts.get(sessionId) ?? 1) - 1);
      throw err;
    }
    const message: ChatMessage = { id, at: now, participantId: who.participant.id, name: nameOf(live, who.participant.id), role: who.role, text: clean };
    this.d.emit('chat', sessionId, message);
    return ok(message);
  }

  private count(sessionId: string): Promise<number> {
    const known = this.counts.get(sessionId);
    if (known !== undefined) return Promise.resolve(known);
    let pending = this.loading.get(sessionId);
    if (!pending) {
      pending = this.d.store.listEvents(sessionId).then((events) => {
        const n = events.filter((e) => e.type === 'chat').length;
        if (!this.counts.has(sessionId)) this.counts.set(sessionId, n);
        return n;
      });
      this.loading.set(sessionId, pending);
      void pending.finally(() => this.loading.delete(sessionId)).catch(() => {});
    }
    return pending;
  }

  /** The session left memory: forget its counters (the stored messages remain). */
  forget(sessionId: string): void {
    this.counts.delete(sessionId);
    this.recent.clearPrefix(`${sessionId}/`);
  }
}
