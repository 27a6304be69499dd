// The live interview room: one socket, one Y.Doc, and the views fed by server events.
import * as Y from 'yjs';
import type {
  ChatMessage,
  ErrorReply,
  Note,
  Result,
  RunQueued,
  SessionView,
  TimerView,
} from '../../../common/protocol.ts';
import { colorFor } from '../editor/colors.ts';
import { createCollabEditor } from '../editor/collab-editor.ts';
import { initialRoomState, reduceRoom, shownRun, type RoomEvent, type RoomState } from './state.ts';
import { EDITOR_THEME, monaco } from '../editor/monaco.ts';
import { SocketIOProvider } from '../editor/provider.ts';
import { runMarkers } from '../session/markers.ts';
import { RunTracker } from '../session/runs.ts';
import { formatMmSs, remainingMs, timerLevel } from '../session/timer.ts';
import { connectRoom, request } from '../socket.ts';
import { formatClock, h, placeToasts, toast } from '../ui/dom.ts';
import { bannerContent } from './banner.ts';
import { renderControls } from './controls.ts';
import { mountConsole } from './console-panel.ts';
import { buildLayout } from './layout.ts';
import { createNotesPanel } from './notes-panel.ts';
import { mountChat, type ChatPanel } from './chat-panel.ts';
import { mountCall } from './call-panel.ts';
import { createSignalList, reportIntegritySignals } from './integrity.ts';
import { may, mayEver } from '../../../common/policy.ts';
import type { TimelineEvent } from '../../../common/review.ts';
import { LIMITS } from '../../../common/protocol.ts';
import { textProblem } from '../../../common/text-limits.ts';
import { renderResults, type ResultsContext } from './results-panel.ts';
import { renderStatement } from './statement.ts';
import { renderGuide } from './guide-panel.ts';
import { sideTabs, type MakeTab } from './side-tabs.ts';
import { registerCompletions } from './completions.ts';
import { watchConnection } from './connection.ts';
import { makePanesResizable } from './panes.ts';
import { renderRunHistory } from './run-history.ts';
import { installShortcutSheet } from './shortcuts.ts';
import { showRestored } from './restored-dialog.ts';
import { mountSourceCounter } from './source-counter.ts';
import { timerNotice } from '../session/notices.ts';
import { finalCause } from '../session/history.ts';
import { mountPracticeTools, type PracticeTools } from '../practice/room-tools.ts';

const NAME_KEY = 'ci.name';
const ROLE_LABEL = { mentor: 'Interviewer', candidate: 'Candidate', observer: 'Observer' } as const;

function errorText(e: ErrorReply): string {
  if (e.code === 'session_ended') return 'The interview has ended.';
  if (e.code === 'busy') return 'The test runner is busy; try again in a moment.';
  return e.message || e.code;
}

export function startRoom(app: HTMLElement, token: string): void {
  const ui = buildLayout();
  app.replaceChildren(ui.root);
  placeToasts(ui.side); // bottom left, never over the results
  makePanesResizable(ui);
  installShortcutSheet(ui.shortcutsButton);

  let name = localStorage.getItem(NAME_KEY) ?? undefined;
  const socket = connectRoom({ token, ...(name ? { name } : {}) });
  const doc = new Y.Doc();

  // Session state comes from the reducer (state.ts); the rest of this file renders it.
  let room: RoomState = initialRoomState;
  let { view, status, clocked, participants, latestRun } = room;
  const apply = (e: RoomEvent): void => {
    room = reduceRoom(room, e);
    ({ view, status, clocked, participants, latestRun } = room);
  };
  const runs = new RunTracker();
  let lastReadOnly: string | null = null;
  /** Practice only: hints and "Reset to starter" (practice/room-tools.ts). */
  let practice: PracticeTools | null = null;
  let everSynced = false;
  /** Interviews only (chat-panel.ts); created once the role is known. */
  let chat: ChatPanel | null = null;

  const provider = new SocketIOProvider(socket, doc, {
    onSynced: () => {
      everSynced = true;
      updateEditable();
      applyMarkers();
    },
    onError: (e) => toast(`The document could not be synced: ${errorText(e)}`, 'error'),
    onPending: (n) => connection.pending(n),
    // A refused edit: the editor pauses while the server's copy comes back (provider.ts).
    onRefused: () => {
      connection.refused('restoring');
      updateEditable();
    },
    onRestored: (restored) => {
      connection.refused('restored');
      showRestored(restored, errorText);
    },
  });
  const connection = watchConnection(socket, ui, { change: () => renderRunState(), fatal });
  const editor = createCollabEditor(ui.editor, provider, { onRun: () => void requestRun(), runLabel: 'Run the tests' });
  mountSourceCounter(ui.sourceSize, provider);
  const scratch = mountConsole(ui.fileName, ui.editor, editor.editor, provider, socket, () => ({ view, status, remainingMs: remaining() }));
  const notes = createNotesPanel(
    async (text) => {
      const r = await request<Note>((ack) => socket.emit('note:add', { text }, ack));
      if (r.ok) notes.add(r.value);
      return r.ok ? null : `Not saved: ${errorText(r.error)}`;
    },
    () => clocked?.view.startedAt ?? null,
  );
  const signals = createSignalList(describeSignal);
  ui.notes.append(signals.element, notes.element);
  reportIntegritySignals(
    editor.editor,
    () => !!view && socket.connected && may(view.mode, view.role, status, 'signal'),
    (report) => socket.emit('signal:report', report, () => {}),
  );

  function describeSignal(e: TimelineEvent): string {
    const who = participants.find((p) => p.id === e.participantId)?.name ?? 'The candidate';
    if (e.type === 'paste') return `${who} pasted ${Number(e.data['chars'])} characters${e.data['flagged'] ? ' (flagged: over 200)' : ''}`;
    if (e.type === 'focus_lost') return `${who} left the page`;
    return `${who} came back after ${Math.round(Number(e.data['awayMs'] ?? 0) / 1000)} s`;
  }

  // ---- server events -------------------------------------------------------------------------
  socket.on('session:state', (v) => {
    const first = view === null;
    apply({ type: 'state', view: v, localNow: Date.now() });
    runs.reset();
    if (first) setupOnce(v);
    notes.set(v.notes ?? []);
    chat?.set(v.chat ?? []);
    signals.set(v.signals ?? []);
    practice?.setHints(v.hints);
    provider.awareness.setLocalStateField('user', { name: v.you.name, color: colorFor(v.you.id), id: v.you.id });
    renderAll();
    applyMarkers();
  });
  socket.on('session:presence', (p) => {
    apply({ type: 'presence', participant: p });
    renderPresence();
  });
  socket.on('timer:update', (timer, next) => {
    const [prevTimer, prevStatus] = [view?.timer ?? null, status];
    apply({ type: 'timer', timer, status: next, localNow: Date.now() });
    const notice = view ? timerNotice(prevTimer, prevStatus, timer, next, view.role, view.mode) : null;
    if (notice) toast(notice.text, notice.tone, 8000);
    renderAll();
  });
  socket.on('timer:warning', (minutesLeft) => {
    toast(`${minutesLeft} minute${minutesLeft === 1 ? '' : 's'} left`, 'warn', 8000);
  });
  socket.on('run:queued', (q) => {
    runs.queued(q);
    renderRunState();
  });
  socket.on('run:result', (run) => {
    runs.finished(run.id);
    apply({ type: 'run', run });
    renderRunArea();
    applyMarkers();
    renderRunState();
    renderBanner();
  });
  socket.on('note:added', (note) => notes.add(note));
  socket.on('chat:added', (message) => chat?.add(message));
  socket.on('signal:added', (event) => {
    signals.add(event);
    if (event.type === 'paste' && event.data['flagged']) toast(describeSignal(event), 'warn');
  });

  function fatal(message: string): void {
    clearInterval(tick);
    placeToasts(null); // the side panel goes: back to the window's corner
    socket.close();
    app.replaceChildren(
      h('div', { class: 'center-card' },
        h('h1', {}, 'This link does not work'),
        h('p', {}, 'It may be mistyped, or the interview or practice attempt was removed. Ask your interviewer for a new link, or start a new attempt.'),
        h('p', { class: 'muted' }, message),
        h('a', { class: 'btn btn-secondary', href: '/' }, 'Home')),
    );
  }

  // ---- one-time setup once the role is known ----------------------------------------------------
  function setupOnce(v: SessionView): void {
    document.title = `${v.exercise.title} — C interview`;
    ui.root.dataset['role'] = v.role;
    if (v.role === 'mentor') ui.brand.href = '/mentor';
    if (v.mode === 'practice') ui.brand.href = '/practice';
    if (v.mode === 'practice' && v.role === 'candidate') practice = mountPracticeTools(ui, socket, editor, v.exercise.starter);
    const colorize = (el: HTMLElement) => void monaco.editor.colorizeElement(el, { tabSize: 4, theme: EDITOR_THEME });
    renderStatement(ui.statement, v.exercise, colorize);
    if (v.guide) renderGuide(ui.guide, v.guide, colorize);
    const tab = sideTabs(ui.tabs, [ui.statement, ui.notes, ui.chat, ui.guide]);
    const problem = tab('Problem', ui.statement);
    problem.classList.add('active');
    problem.setAttribute('aria-selected', 'true');
    ui.tabs.replaceChildren(problem);
    if (v.role === 'mentor') ui.tabs.append(tab('Private notes', ui.notes));
    if (v.mode === 'interview') ui.tabs.append(setupChat(v, tab));
    if (v.guide) ui.tabs.append(tab('Guide', ui.guide));
    if (mayEver(v.mode, v.role, 'call')) mountCall(ui.controls, socket, () => view?.you ?? null);
    ui.runButton.hidden = !mayEver(v.mode, v.role, 'run');
    const model = editor.editor.getModel();
    if (model) registerCompletions(model, v.exercise);
    if (v.role === 'candidate') ui.you.hidden = true;
    else ui.you.addEventListener('click', rename);
  }

  /** The chat panel and its tab (chat-panel.ts); observers get no box to write in. */
  function setupChat(v: SessionView, tab: MakeTab): HTMLButtonElement {
    const send = async (text: string): Promise<string | null> => {
      const r = await request<ChatMessage>((ack) => socket.emit('chat:send', { text }, ack));
      if (r.ok) chat?.add(r.value);
      return r.ok ? null : `Not sent: ${errorText(r.error)}`;
    };
    const mounted = mountChat(ui.chat, { ...(mayEver(v.mode, v.role, 'chat') ? { send } : {}), startedAt: () => clocked?.view.startedAt ?? null, me: () => view?.you.id ?? null }, tab);
    chat = mounted.panel;
    return mounted.tab;
  }

  function rename(): void {
    const next = window.prompt('Your name, as others in the room see it:', name ?? view?.you.name ?? '')?.trim();
    if (!next) return;
    // Refused with the server's rule and words, never cut (common/text-limits.ts).
    const problem = textProblem('Your name', next, LIMITS.participantNameChars);
    if (problem) return toast(problem, 'error');
    name = next;
    localStorage.setItem(NAME_KEY, name);
    socket.auth = { token, name };
    socket.disconnect().connect(); // the name is part of the handshake
  }

  // ---- rendering -----------------------------------------------------------------------------
  function renderAll(): void {
    if (!view) return;
    ui.title.textContent = view.exercise.title;
    ui.title.title = view.exercise.title;
    const practice = view.mode === 'practice';
    ui.roleBadge.textContent = practice ? 'Practice' : ROLE_LABEL[view.role];
    ui.roleBadge.className = `badge badge-${practice ? 'practice' : view.role}`;
    ui.candidate.textContent = practice ? 'On the clock, on your own' : view.role === 'candidate' ? `Welcome, ${view.candidateName}` : `Candidate: ${view.candidateName}`;
    ui.candidate.title = ui.candidate.textContent; // long names are cut with an ellipsis: the tooltip has it all
    renderPresence();
    renderTimer();
    renderBanner();
    renderRunState();
    renderRunArea();
    scratch.refresh();
    renderControls(ui.controls, view.mode, view.role, status, {
      start: () => timerCall((ack) => socket.emit('timer:start', ack)),
      addFive: () => timerCall((ack) => socket.emit('timer:add', { minutes: 5 }, ack)),
      end: () => timerCall((ack) => socket.emit('session:end', ack)),
    });
    updateEditable();
  }

  async function timerCall(send: (ack: (r: Result<TimerView>) => void) => void): Promise<void> {
    const r = await request(send);
    if (!r.ok) toast(errorText(r.error), 'error');
  }

  function renderPresence(): void {
    const me = view?.you.id;
    ui.presence.replaceChildren(
      ...participants
        .filter((p) => p.online)
        .map((p) => {
          const dot = h('span', { class: 'dot' });
          dot.style.backgroundColor = colorFor(p.id);
          return h('li', { class: 'person', title: `${p.name} (${ROLE_LABEL[p.role]})` }, dot, p.id === me ? `${p.name} (you)` : p.name);
        }),
    );
  }

  function remaining(): number {
    return clocked ? remainingMs(clocked, status, Date.now()) : 0;
  }

  function renderTimer(): void {
    if (!clocked) return;
    const ms = remaining();
    const level = timerLevel(ms, status);
    // Ended before the deadline (early, or a practice submitted): when it ended, not "00:00" left.
    const early = status === 'ended' && view !== null && finalCause(clocked.view, view.mode) !== 'deadline';
    const endedAt = early ? clocked.view.endedAt : null;
    ui.timer.textContent = endedAt !== null ? formatClock(endedAt) : formatMmSs(ms);
    ui.timer.className = `timer timer-${level}`;
    ui.timerLabel.textContent = level === 'waiting' ? 'Not started' : endedAt !== null ? 'Ended at' : level === 'ended' ? 'Ended' : 'Time left';
  }

  function renderBanner(): void {
    if (!view) return;
    const content = bannerContent(view, status, latestRun, token);
    ui.banner.hidden = content === null;
    ui.banner.className = `banner banner-${content?.tone ?? 'info'}`;
    ui.banner.replaceChildren(content?.text ?? '');
    content?.links.forEach((l, i) => ui.banner.append(i === 0 ? ' ' : ' · ', h('a', { href: l.href }, l.label)));
  }

  /** The policy's answer (an interviewer may run before the start), the clock, the connection. */
  function canRun(): boolean {
    if (!view || !may(view.mode, view.role, status, 'run')) return false;
    return (status !== 'live' || remaining() > 0) && connection.online && !runs.busy;
  }

  function renderRunState(): void {
    ui.runButton.disabled = !canRun();
    const text = runs.statusText();
    ui.runStatus.replaceChildren(...(text ? [h('span', { class: 'spinner', 'aria-hidden': 'true' }), text] : []));
    ui.runButton.classList.toggle('busy', text !== '');
  }

  async function requestRun(): Promise<void> {
    if (!canRun()) return;
    runs.requesting = true;
    renderRunState();
    await provider.whenFlushed(); // grade what is on screen, not what is still in flight
    const r = await request<RunQueued>((ack) => socket.emit('run:request', ack));
    runs.requesting = false;
    if (r.ok) {
      runs.accepted(r.value);
    } else {
      toast(`Could not run the tests: ${errorText(r.error)}`, 'error');
    }
    renderRunState();
  }
  ui.runButton.addEventListener('click', () => void requestRun());
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
      e.preventDefault();
      void requestRun();
    }
  });

  function resultsContext(): ResultsContext {
    const goto = (line: number, column: number): void => {
      editor.editor.revealLineInCenter(line);
      editor.editor.setPosition({ lineNumber: line, column });
      editor.editor.focus();
    };
    return { role: view?.role ?? 'candidate', mode: view?.mode ?? 'interview', timer: view?.timer ?? null, participants, you: view?.you, goto };
  }

  /** The run history and the results of the run picked in it (the newest unless one was picked). */
  function renderRunArea(): void {
    const shown = shownRun(room);
    renderResults(ui.results, shown, resultsContext());
    if (!view) return;
    renderRunHistory(ui.history, view.runs, view.timer, view.mode, shown?.id ?? null, view.you.name, (runId) => {
      apply({ type: 'select', runId });
      renderRunArea();
    });
  }

  function applyMarkers(): void {
    editor.setMarkers(latestRun ? runMarkers(latestRun) : []);
  }

  function updateEditable(): void {
    // [message shown when someone types, short form for the editor bar]
    let lock: [string, string] | null = null;
    // Only the first sync gates editing: after a disconnect, typing goes on and syncs later.
    if (!view || !everSynced) lock = ['Connecting to the shared document…', 'Connecting…'];
    else if (provider.restoring) lock = ['The server refused an edit: restoring the copy it has saved…', 'Restoring the saved copy…'];
    // Who may write when is the policy's (common/policy.ts); here only the words for each reason.
    else if (!mayEver(view.mode, view.role, 'doc:write')) lock = ['Observers can watch but not edit.', 'Read-only: observing'];
    else if (status === 'ended' || (status === 'live' && remaining() <= 0))
      lock = view.mode === 'practice' ? ['Submitted: the editor is read-only.', 'Read-only: submitted'] : ['The interview has ended: the editor is read-only.', 'Read-only: the interview has ended'];
    else if (!may(view.mode, view.role, status, 'doc:write'))
      lock = view.mode === 'practice' ? ['Press Start to begin the attempt.', 'Read-only until you start'] : ['The editor unlocks when your interviewer starts the timer.', 'Read-only until the timer starts'];
    practice?.refresh(lock === null);
    const key = lock?.[0] ?? '';
    if (key === lastReadOnly) return;
    lastReadOnly = key;
    editor.setReadOnly(lock !== null, lock?.[0]);
    scratch.setReadOnly(lock !== null, lock?.[0]);
    ui.editor.classList.toggle('readonly', lock !== null);
    ui.editorHint.textContent = lock ? lock[1] : 'Ctrl/Cmd + Enter runs the tests';
    ui.editorHint.classList.toggle('locked', lock !== null);
  }

  // The clock runs locally between server updates; at 00:00 lock the editor right away.
  const tick = setInterval(() => {
    renderTimer();
    updateEditable();
    if (status !== 'ended') ui.runButton.disabled = !canRun();
    scratch.refresh();
  }, 250);
}
