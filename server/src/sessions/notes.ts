// Private notes: the interviewers' own, timestamped by the server, never sent to the candidate.
import crypto from 'node:crypto';
import type { Note, Result } from '../../../common/protocol.ts';
import type { Store } from '../store/types.ts';
import type { Emit } from './bus.ts';
import { fail, ok } from './errors.ts';
import type { Enter } from './guard.ts';
import type { Identity } from './service-types.ts';
import type { Clock } from './timer.ts';
import { cleanText } from './views.ts';

export class Notes {
  constructor(private readonly d: { store: Store; clock: Clock; enter: Enter; emit: Emit }) {}

  async add(who: Identity, text: string): Promise<Result<Note>> {
    const { refusal } = this.d.enter(who, 'note');
    if (refusal) return refusal;
    const clean = cleanText(text).trim();
    if (clean === '') return fail('bad_request', 'The note is empty.');
    const note: Note = { id: crypto.randomUUID(), at: this.d.clock.now(), text: clean };
    await this.d.store.addNote({ ...note, sessionId: who.sessionId, participantId: who.participant.id });
    this.d.emit('note', who.sessionId, note);
    return ok(note);
  }
}
