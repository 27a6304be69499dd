// The live RoomSource: one typed socket.io connection. Server events become reducer events (timer
// events stamped with this browser's clock); commands are emits with an ack that cannot hang.
import { connectRoom, request, type RoomSocket } from '../socket.ts';
import type { RoomSource } from './source.ts';
import type { ServerEvent } from './state.ts';

export interface LiveSource extends RoomSource {
  /** The connection itself, for the document's provider and the connection banner. */
  readonly socket: RoomSocket;
  /** Reconnects under another display name (the name is part of the handshake). */
  rename(name: string): void;
}

export function connectLive(token: string, name: string | undefined): LiveSource {
  const socket = connectRoom({ token, ...(name ? { name } : {}) });
  const listeners = new Set<(e: ServerEvent) => void>();
  const emit = (e: ServerEvent): void => {
    for (const l of listeners) l(e);
  };
  socket.on('session:state', (view) => emit({ type: 'state', view, localNow: Date.now() }));
  socket.on('session:presence', (participant) => emit({ type: 'presence', participant }));
  socket.on('timer:update', (timer, status) => emit({ type: 'timer', timer, status, localNow: Date.now() }));
  socket.on('timer:warning', (minutesLeft) => emit({ type: 'timer-warning', minutesLeft }));
  socket.on('run:queued', (queued) => emit({ type: 'run-queued', queued }));
  socket.on('run:result', (run) => emit({ type: 'run', run }));
  socket.on('console:queued', (queued) => emit({ type: 'console-queued', queued }));
  socket.on('console:result', (run) => emit({ type: 'console', run }));
  socket.on('note:added', (note) => emit({ type: 'note', note }));
  socket.on('chat:added', (message) => emit({ type: 'chat', message }));
  socket.on('signal:added', (event) => emit({ type: 'signal', event }));

  return {
    socket,
    get connected() {
      return socket.connected;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    runTests: () => request((ack) => socket.emit('run:request', ack)),
    runConsole: (stdin) => request((ack) => socket.emit('console:run', { stdin }, ack)),
    startTimer: () => request((ack) => socket.emit('timer:start', ack)),
    addMinutes: (minutes) => request((ack) => socket.emit('timer:add', { minutes }, ack)),
    endSession: () => request((ack) => socket.emit('session:end', ack)),
    addNote: (text) => request((ack) => socket.emit('note:add', { text }, ack)),
    sendChat: (text) => request((ack) => socket.emit('chat:send', { text }, ack)),
    revealHint: () => request((ack) => socket.emit('hint:reveal', ack)),
    reportSignal: (report) => socket.emit('signal:report', report, () => {}),
    rename(next) {
      socket.auth = { token, name: next };
      socket.disconnect().connect();
    },
  };
}
