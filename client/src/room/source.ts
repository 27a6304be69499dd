// Where a room's events come from and where its commands go. The live room (interview or
// practice) is socket.io (live-source.ts); the room renders whatever a source feeds its store, so
// another source (a recording at a scrub position) can drive the same reducer and views.
import type { RevealedHint } from '../../../common/practice.ts';
import type { ChatMessage, Note, Result, RunQueued, TimerView } from '../../../common/protocol.ts';
import type { SignalReport } from '../../../common/review.ts';
import type { ServerEvent } from './state.ts';

/** The room's requests, each answered by the server's Result (the policy decides, the server enforces). */
export interface RoomCommands {
  runTests(): Promise<Result<RunQueued>>;
  runConsole(stdin: string): Promise<Result<RunQueued>>;
  startTimer(): Promise<Result<TimerView>>;
  addMinutes(minutes: number): Promise<Result<TimerView>>;
  endSession(): Promise<Result<TimerView>>;
  addNote(text: string): Promise<Result<Note>>;
  sendChat(text: string): Promise<Result<ChatMessage>>;
  revealHint(): Promise<Result<RevealedHint>>;
  /** Fire and forget: the server stamps and measures it. */
  reportSignal(report: SignalReport): void;
}

export interface RoomSource extends RoomCommands {
  /** Every server event, as the reducer's event; returns the unsubscribe. */
  subscribe(listener: (event: ServerEvent) => void): () => void;
  /** Whether commands can reach the server now. */
  readonly connected: boolean;
}
