// The live room (interview or practice): a RoomSource (live-source.ts) feeds the store (store.ts,
// reducer in state.ts); this file mounts the panels and renders the store's state into them.
import * as Y from 'yjs';
import type { ErrorReply, Result, RunQueued, SessionView } from '../../../common/protocol.ts';
import { colorFor } from '../editor/colors.ts';
import { createCollabEditor } from '../editor/collab-editor.ts';
import { shownRun, type RoomState, type RunKind } from './state.ts';
import { createRoomStore } from './store.ts';
import { connectLive } from './live-source.ts';
import { EDITOR_THEME, monaco } from '../editor/monaco.ts';
import { SocketIOProvider } from '../editor/provider.ts';
import { runMarkers } from '../session/markers.ts';
import { isBusy, runStatusText } from '../session/runs.ts';
import { remainingMs } from '../session/timer.ts';
import { h, placeToasts, toast } from '../ui/dom.ts';
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
import { mountPracticeTools, type PracticeTools } from '../practice/room-tools.ts';
import { editorLock } from './lock.ts';
import { homeLink, renderHeading, renderPresence, renderTimer } from './header.ts';

const NAME_KEY = 'ci.name';

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
  const source = connectLive(token, name);
  const store = createRoomStore();
  const doc = new Y.Doc();

  let lastReadOnly: string | null = null;
  /** Practice only: hints and "Reset to starter" (practice/room-tools.ts). */
  let practice: PracticeTools | null = null;
  let everSynced = false;
  /** Interviews only (chat-panel.ts); created once the session's view has a chat. */
  let chat: ChatPanel | null = null;

  const provider = new SocketIOProvider(source.socket, doc, {
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
  const connection = watchConnection(source.socket, ui, {
    change: () => {
      renderRunState();
      scratch.refresh();
    },
    fatal,
  });
  const editor = createCollabEditor(ui.editor, provider, { onRun: () => void requestRun(), runLabel: 'Run the tests' });
  mountSourceCounter(ui.sourceSize, provider);
  const scratch = mountConsole(
    ui.fileName,
    ui.editor,
    editor.editor,
    provider,
    () => {
      const s = store.get();
      return { view: s.view, status: s.status, remainingMs: remaining(), latest: s.console, runs: s.consoleRuns, connected: source.connected };
    },
    (stdin) => track('console', () => source.runConsole(stdin)),
  );
  const startedAt = (): number | null => store.get().clocked?.view.startedAt ?? null;
  const notes = createNotesPanel(async (text) => {
    const r = await source.addNote(text);
    if (r.ok) store.dispatch({ type: 'note', note: r.value });
    return r.ok ? null : `Not saved: ${errorText(r.error)}`;
  }, startedAt);
  const signals = createSignalList(describeSignal);
  ui.notes.append(signals.element, notes.element);
  reportIntegritySignals(
    editor.editor,
    () => {
      const { view, status } = store.get();
      return !!view && source.connected && may(view.mode, view.role, status, 'signal');
    },
    (report) => source.reportSignal(report),
  );

  function describeSignal(e: TimelineEvent): string {
    const who = store.get().participants.find((p) => p.id === e.participantId)?.name ?? 'The candidate';
    if (e.type === 'paste') return `${who} pasted ${Number(e.data['chars'])} characters${e.data['flagged'] ? ' (flagged: over 200)' : ''}`;
    if (e.type === 'focus_lost') return `${who} left the page`;
    return `${who} came back after ${Math.round(Number(e.data['awayMs'] ?? 0) / 1000)} s`;
  }

  // ---- events: what is not state (setup, toasts), then the render of the new state ----------------
  store.subscribe((s, prev, e) => {
    if (e.type === 'state') {
      if (prev.view === null) setupOnce(e.view);
      provider.awareness.setLocalStateField('user', { name: e.view.you.name, color: colorFor(e.view.you.id), id: e.view.you.id });
    } else if (e.type === 'timer' && s.view) {
      const notice = timerNotice(prev.view?.timer ?? null, prev.status, e.timer, e.status, s.view.role, s.view.mode);
      if (notice) toast(notice.text, notice.tone, 8000);
    } else if (e.type === 'timer-warning') {
      toast(`${e.minutesLeft} minute${e.minutesLeft === 1 ? '' : 's'} left`, 'warn', 8000);
    } else if (e.type === 'signal' && e.event.type === 'paste' && e.event.data['flagged']) {
      toast(describeSignal(e.event), 'warn');
    }
    render(s, prev);
  });
  source.subscribe((e) => store.dispatch(e));

  function fatal(message: string): void {
    clearInterval(tick);
    placeToasts(null); // the side panel goes: back to the window's corner
    source.socket.close();
    app.replaceChildren(
      h(
        'div',
        { class: 'center-card' },
        h('h1', {}, 'This link does not work'),
        h('p', {}, 'It may be mistyped, or the interview or practice attempt was removed. Ask your interviewer for a new link, or start a new attempt.'),
        h('p', { class: 'muted' }, message),
        h('a', { class: 'btn btn-secondary', href: '/' }, 'Home'),
      ),
    );
  }

  // ---- one-time setup once the role is known: which panels, as the policy and the view allow ----
  function setupOnce(v: SessionView): void {
    document.title = `${v.exercise.title} — C interview`;
    ui.root.dataset['role'] = v.role;
    const home = homeLink(v);
    if (home) ui.brand.href = home;
    if (mayEver(v.mode, v.role, 'hint')) practice = mountPracticeTools(ui, editor, v.exercise.starter, revealHint);
    const colorize = (el: HTMLElement) => void monaco.editor.colorizeElement(el, { tabSize: 4, theme: EDITOR_THEME });
    renderStatement(ui.statement, v.exercise, colorize);
    if (v.guide) renderGuide(ui.guide, v.guide, colorize);
    const tab = sideTabs(ui.tabs, [ui.statement, ui.notes, ui.chat, ui.guide]);
    const problem = tab('Problem', ui.statement);
    problem.classList.add('active');
    problem.setAttribute('aria-selected', 'true');
    ui.tabs.replaceChildren(problem);
    if (mayEver(v.mode, v.role, 'note')) ui.tabs.append(tab('Private notes', ui.notes));
    if (v.chat) ui.tabs.append(setupChat(v, tab)); // the server sends a chat in interviews only
    if (v.guide) ui.tabs.append(tab('Guide', ui.guide));
    if (mayEver(v.mode, v.role, 'call')) mountCall(ui.controls, source.socket, () => store.get().view?.you ?? null);
    ui.runButton.hidden = !mayEver(v.mode, v.role, 'run');
    const model = editor.editor.getModel();
    if (model) registerCompletions(model, v.exercise);
    if (v.role === 'candidate') ui.you.hidden = true;
    else ui.you.addEventListener('click', rename);
  }

  /** The chat panel and its tab (chat-panel.ts); observers get no box to write in. */
  function setupChat(v: SessionView, tab: MakeTab): HTMLButtonElement {
    const send = async (text: string): Promise<string | null> => {
      const r = await source.sendChat(text);
      if (r.ok) store.dispatch({ type: 'chat', message: r.value });
      return r.ok ? null : `Not sent: ${errorText(r.error)}`;
    };
    const mounted = mountChat(ui.chat, { ...(mayEver(v.mode, v.role, 'chat') ? { send } : {}), startedAt, me: () => store.get().view?.you.id ?? null }, tab);
    chat = mounted.panel;
    return mounted.tab;
  }

  async function revealHint(): Promise<void> {
    const r = await source.revealHint();
    if (r.ok) store.dispatch({ type: 'hint', hint: r.value });
    else toast(`No hint: ${r.error.message}`, 'error');
  }

  function rename(): void {
    const next = window.prompt('Your name, as others in the room see it:', name ?? store.get().view?.you.name ?? '')?.trim();
    if (!next) return;
    // Refused with the server's rule and words, never cut (common/text-limits.ts).
    const problem = textProblem('Your name', next, LIMITS.participantNameChars);
    if (problem) return toast(problem, 'error');
    name = next;
    localStorage.setItem(NAME_KEY, name);
    source.rename(name);
  }

  // ---- rendering: each part when what it shows changed ------------------------------------------
  function render(s: RoomState, prev: RoomState): void {
    const { view } = s;
    if (!view) return;
    const viewChanged = view !== prev.view;
    if (viewChanged) {
      renderHeading(ui, view);
      renderTimer(ui, s.clocked, s.status, view, Date.now());
      renderBanner(s);
    }
    if (viewChanged || s.participants !== prev.participants) renderPresence(ui, s.participants, view.you.id);
    if (viewChanged || s.testRuns !== prev.testRuns) renderRunState();
    if (viewChanged || s.selectedRunId !== prev.selectedRunId) renderRunArea(s);
    if (s.latestRun !== prev.latestRun) applyMarkers();
    if (view.mode !== prev.view?.mode || view.role !== prev.view?.role || s.status !== prev.status) {
      renderControls(ui.controls, view.mode, view.role, s.status, {
        start: () => timerCall(source.startTimer()),
        addFive: () => timerCall(source.addMinutes(5)),
        end: () => timerCall(source.endSession()),
      });
    }
    if (s.hints !== prev.hints) practice?.setHints(s.hints);
    notes.render(s.notes, s.loads);
    signals.render(s.signals, s.loads);
    chat?.render(s.chat, s.loads);
    scratch.refresh();
    updateEditable();
  }

  async function timerCall(pending: Promise<Result<unknown>>): Promise<void> {
    const r = await pending;
    if (!r.ok) toast(errorText(r.error), 'error');
  }

  function remaining(): number {
    const { clocked, status } = store.get();
    return clocked ? remainingMs(clocked, status, Date.now()) : 0;
  }

  function renderBanner(s: RoomState): void {
    if (!s.view) return;
    const content = bannerContent(s.view, s.status, s.latestRun, token);
    ui.banner.hidden = content === null;
    ui.banner.className = `banner banner-${content?.tone ?? 'info'}`;
    ui.banner.replaceChildren(content?.text ?? '');
    content?.links.forEach((l, i) => ui.banner.append(i === 0 ? ' ' : ' · ', h('a', { href: l.href }, l.label)));
  }

  /** The policy's answer (an interviewer may run before the start), the clock, the connection. */
  function canRun(): boolean {
    const { view, status, testRuns } = store.get();
    if (!view || !may(view.mode, view.role, status, 'run')) return false;
    return (status !== 'live' || remaining() > 0) && connection.online && !isBusy(testRuns);
  }

  function renderRunState(): void {
    ui.runButton.disabled = !canRun();
    const text = runStatusText(store.get().testRuns);
    ui.runStatus.replaceChildren(...(text ? [h('span', { class: 'spinner', 'aria-hidden': 'true' }), text] : []));
    ui.runButton.classList.toggle('busy', text !== '');
  }

  /** A run request: "Sending…" until the ack; what is on screen is what runs. */
  async function track(kind: RunKind, send: () => Promise<Result<RunQueued>>): Promise<ErrorReply | null> {
    store.dispatch({ type: 'requesting', kind });
    await provider.whenFlushed(); // run what is on screen, not what is still in flight
    const r = await send();
    store.dispatch(r.ok ? { type: 'accepted', kind, queued: r.value } : { type: 'refused', kind });
    return r.ok ? null : r.error;
  }

  async function requestRun(): Promise<void> {
    if (!canRun()) return;
    const refused = await track('tests', () => source.runTests());
    if (refused) toast(`Could not run the tests: ${errorText(refused)}`, 'error');
  }
  ui.runButton.addEventListener('click', () => void requestRun());
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
      e.preventDefault();
      void requestRun();
    }
  });

  function resultsContext(s: RoomState): ResultsContext {
    const goto = (line: number, column: number): void => {
      editor.editor.revealLineInCenter(line);
      editor.editor.setPosition({ lineNumber: line, column });
      editor.editor.focus();
    };
    const { view } = s;
    return { role: view?.role ?? 'candidate', mode: view?.mode ?? 'interview', timer: view?.timer ?? null, participants: s.participants, you: view?.you, goto };
  }

  /** The run history and the results of the run picked in it (the newest unless one was picked). */
  function renderRunArea(s: RoomState): void {
    const shown = shownRun(s);
    renderResults(ui.results, shown, resultsContext(s));
    if (!s.view) return;
    renderRunHistory(ui.history, s.view.runs, s.view.timer, s.view.mode, shown?.id ?? null, s.view.you.name, (runId) => store.dispatch({ type: 'select', runId }));
  }

  function applyMarkers(): void {
    const { latestRun } = store.get();
    editor.setMarkers(latestRun ? runMarkers(latestRun) : []);
  }

  function updateEditable(): void {
    const { view, status } = store.get();
    const lock = editorLock({ view, status, everSynced, restoring: provider.restoring, remainingMs: remaining() });
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
    const s = store.get();
    renderTimer(ui, s.clocked, s.status, s.view, Date.now());
    updateEditable();
    if (s.status !== 'ended') ui.runButton.disabled = !canRun();
    scratch.refresh();
  }, 250);
}
