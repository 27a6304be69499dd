// The room's connection as people see it: a banner when it is lost (the browser's offline event
// at once, a silent network within ~5 s through socket.io's pings), "Back online" when it returns,
// and whether this browser's edits are saved on the server or still waiting.
import type { RoomSocket } from '../socket.ts';

export interface ConnectionUi {
  connection: HTMLElement;
  presence: HTMLElement;
  saveState: HTMLElement;
}

export interface ConnectionWatch {
  /** Connected and the browser believes it has a network: runs can be requested. */
  readonly online: boolean;
  /** The provider's count of local edits not yet acknowledged by the server. */
  pending(count: number): void;
  /** The server refused an edit: its copy is being restored, or has been (until the next edit is saved). */
  refused(state: 'restoring' | 'restored'): void;
}

const LOST = 'Connection lost — your edits are kept and will sync when back';

export function watchConnection(socket: RoomSocket, ui: ConnectionUi, on: { change(): void; fatal(message: string): void }): ConnectionWatch {
  let everConnected = false;
  let lost = false;
  let browserOffline = typeof navigator !== 'undefined' && navigator.onLine === false;
  let unsaved = 0;
  let everEdited = false;
  let refusal: 'restoring' | 'restored' | null = null;

  const show = (text: string, tone: 'ok' | 'lost'): void => {
    ui.connection.textContent = text;
    ui.connection.className = `connection connection-${tone}`;
    ui.connection.hidden = false;
  };
  const online = (): boolean => socket.connected && !browserOffline;

  /** "Saved" only ever means acknowledged by the server: not after a refusal, until an edit is. */
  const saveText = (): [string, 'saved' | 'saving' | 'unsaved'] => {
    if (refusal === 'restoring') return ['Edit refused: restoring the saved copy…', 'unsaved'];
    if (refusal === 'restored') return ['Last edit refused: showing the saved copy', 'unsaved'];
    if (unsaved === 0) return ['✓ Saved', 'saved'];
    if (online()) return ['Saving…', 'saving'];
    return [`${unsaved === 1 ? '1 edit' : `${unsaved} edits`} not saved yet`, 'unsaved'];
  };

  const renderSave = (): void => {
    if (!everEdited && !refusal) {
      ui.saveState.replaceChildren();
      return;
    }
    const [text, cls] = saveText();
    ui.saveState.textContent = text;
    ui.saveState.className = `save-state save-${cls}`;
    ui.saveState.title = refusal
      ? 'The server refused an edit: the editor shows what it has saved.'
      : cls === 'unsaved'
        ? 'Kept in this browser; they are sent as soon as the connection is back.'
        : '';
  };

  const goneDown = (): void => {
    lost = true;
    show(LOST, 'lost');
    ui.presence.classList.add('stale'); // we cannot know who is online until we are back
    renderSave();
    on.change();
  };
  const cameBack = (): void => {
    if (!online()) return;
    ui.presence.classList.remove('stale');
    if (lost) {
      lost = false;
      show('Back online', 'ok');
      setTimeout(() => {
        if (online()) ui.connection.hidden = true;
      }, 3000);
    }
    renderSave();
    on.change();
  };

  socket.on('connect', () => {
    everConnected = true;
    cameBack();
  });
  socket.on('disconnect', (reason) => {
    if (reason === 'io client disconnect') return; // our own reconnect after a rename
    // The server dropped us on purpose (e.g. the session was reset): socket.io does not retry
    // then, so ask again; a link that no longer works ends in connect_error -> fatal.
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1000);
    goneDown();
  });
  socket.on('connect_error', (err) => {
    if (!socket.active)
      on.fatal(err.message); // the server refused the link: retrying will not help
    else if (!everConnected) show('Connecting to the server…', 'lost');
  });
  window.addEventListener('offline', () => {
    browserOffline = true;
    goneDown();
  });
  window.addEventListener('online', () => {
    browserOffline = false;
    cameBack();
  });

  return {
    get online() {
      return online();
    },
    pending(count) {
      unsaved = count;
      if (count > 0) {
        everEdited = true;
        if (refusal === 'restored') refusal = null; // a new edit: its own state from here
      }
      renderSave();
    },
    refused(state) {
      refusal = state;
      renderSave();
    },
  };
}
