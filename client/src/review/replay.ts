// The replay page (/r/<token>): the session's document rebuilt in the browser from its update log
// (history module), played back or scrubbed, with runs, notes, signals and timer events on a
// timeline, the run results of the moment beside the code, and "test this moment".
import './review.css';
import '../room/console.css'; // the file tabs
import type { Participant } from '../../../common/protocol.ts';
import type { ReviewData, ReviewRun, TimelineEvent } from '../../../common/review.ts';
import { colorFor, safeColor } from '../editor/colors.ts';
import { EDITOR_THEME, monaco } from '../editor/monaco.ts';
import { renderResults } from '../room/results-panel.ts';
import { renderStatement } from '../room/statement.ts';
import { h, placeToasts, toast } from '../ui/dom.ts';
import type { History, Instant } from '../../../server/src/history/index.ts';
import { download, fileStem, reviewApi } from './api.ts';
import { historyOf } from './history.ts';
import { createScrubber } from './scrubber.ts';
import { TimeAxis, durationOf, formatInterviewTime, isRun, jump, markersOf, originOf, type Marker } from './timeline.ts';
import { reviewFailure } from './shell.ts';
import { pasteUpdates } from './pastes.ts';
import { buildReplayLayout } from './replay-layout.ts';
import { openRunDiff, type Version } from './run-diff.ts';
import { replaySource } from './replay-source.ts';
import { createRoomStore } from '../room/store.ts';

const STEP_MS = 5_000;

export async function startReplay(app: HTMLElement, token: string, loading: Promise<ReviewData> = reviewApi.load(token), built?: Promise<History>): Promise<void> {
  app.replaceChildren(h('div', { class: 'center-card' }, h('p', {}, 'Loading the recording…')));
  let data: ReviewData;
  try {
    data = await loading;
  } catch (err) {
    reviewFailure(app, err);
    return;
  }
  document.title = `Replay: ${data.exercise.title}, ${data.session.candidateName}`;
  const history = built ? await built : historyOf(data);
  const origin = originOf(data);
  const duration = durationOf(data);
  const markers = markersOf(data);
  const activity = [...history.updates.map((u) => u.at - origin), ...markers.map((m) => m.t)];
  const participants: Participant[] = data.participants.map((p) => ({ ...p, online: false }));
  const nameOf = (id: string | null) => (id === null ? 'Starter code' : (data.participants.find((p) => p.id === id)?.name ?? 'Someone'));
  // The live room's reducer fed from the recording: the run of a moment is the one the room showed.
  const recording = replaySource(data);
  const room = createRoomStore();
  recording.subscribe((e) => room.dispatch(e));

  // ---- layout ----------------------------------------------------------------------------------
  const scrubber = createScrubber(
    markers,
    (p) => seekAxis(p),
    (m) => goToMarker(m),
    data.session.mode === 'practice' ? 'Attempt time' : 'Interview time',
  );
  const reportLink = `${location.pathname.replace(/\/+$/, '')}/report`;
  const ui = buildReplayLayout(data, scrubber.element, reportLink, {
    exportJson: () => void exportJson(),
    jumpRun: (dir) => jumpTo(dir, isRun),
    jumpMarker: (dir) => jumpTo(dir),
    toggleHelp: () => toggleHelp(),
  });
  const { editorHost, playButton, speed, skipIdle, authorship, clock, testButton, legend, solutionTab, scratchTab, momentList, recordedHost, testedHost, statement, help } = ui;
  app.replaceChildren(ui.root);
  placeToasts(ui.side);
  renderStatement(statement, data.exercise, (el) => void monaco.editor.colorizeElement(el, { tabSize: 4, theme: EDITOR_THEME }));

  // Which update carried each recorded paste: its text is marked in the author colours.
  const pasteOf = pasteUpdates(
    data.events,
    history.updates.map((u, i) => ({ at: u.at, participantId: u.participantId, inserted: history.insertedLength(i) })),
  );
  history.markPasted(pasteOf.values());

  // ---- editor ----------------------------------------------------------------------------------
  const model = monaco.editor.createModel('', 'c', monaco.Uri.parse('inmemory://replay/solution.c'));
  const editor = monaco.editor.create(editorHost, {
    model,
    theme: EDITOR_THEME,
    readOnly: true,
    automaticLayout: true,
    fontSize: 14,
    lineHeight: 21,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    padding: { top: 12 },
    stickyScroll: { enabled: false },
    tabFocusMode: true, // read-only: Tab moves on to the next control
    ariaLabel: 'The code at this moment (read-only)',
  });
  const scratchModel = monaco.editor.createModel('', 'c', monaco.Uri.parse('inmemory://replay/scratch.c'));
  for (const [tab, shown] of [
    [solutionTab, model],
    [scratchTab, scratchModel],
  ] as const) {
    tab.addEventListener('click', () => {
      editor.setModel(shown);
      solutionTab.classList.toggle('active', shown === model);
      scratchTab.classList.toggle('active', shown === scratchModel);
      solutionTab.setAttribute('aria-pressed', String(shown === model));
      scratchTab.setAttribute('aria-pressed', String(shown === scratchModel));
      paintAuthors();
    });
  }
  const decorations = editor.createDecorationsCollection();
  const authorIds = history.authors().filter((a): a is string => a !== null);
  const style = h('style', {});
  style.textContent = authorIds.map((id, i) => `.author-${i} { background-color: ${safeColor(colorFor(id))}38; border-bottom: 2px solid ${safeColor(colorFor(id))}; }`).join('\n');
  document.head.append(style);
  legend.replaceChildren(
    ...authorIds.map((id) => {
      const dot = h('span', { class: 'dot' });
      dot.style.backgroundColor = colorFor(id);
      return h('span', { class: 'author' }, dot, nameOf(id));
    }),
    ...(pasteOf.size > 0 ? [h('span', { class: 'author' }, h('span', { class: 'pasted-swatch', 'aria-hidden': 'true' }), 'pasted')] : []),
  );

  // ---- state -----------------------------------------------------------------------------------
  let axis = new TimeAxis(duration, activity, true);
  scrubber.setAxis(axis);
  let t = 0; // interview time of the playhead
  let index = -2;
  let instant: Instant | null = null;
  let playing = false;
  let lastFrame = 0;
  let shownRun: ReviewRun | null | undefined;
  let shownMoment = -1;

  function seekAxis(p: number): void {
    showAt(axis.fromAxis(p));
  }

  function showAt(next: number): void {
    t = Math.max(0, Math.min(next, duration));
    const target = history.indexAt(origin + t);
    if (target !== index) {
      index = target;
      instant = history.seek(index);
      applyText(model, instant.text);
      applyText(scratchModel, instant.scratch);
      paintAuthors();
    }
    clock.textContent = `${formatInterviewTime(t)} / ${formatInterviewTime(duration)}`;
    scrubber.setPosition(axis.toAxis(t));
    renderMoment();
  }

  /** One edit from the old text to the new (common prefix and suffix kept): scroll stays put. */
  function applyText(model: monaco.editor.ITextModel, text: string): void {
    const old = model.getValue();
    if (old === text) return;
    let start = 0;
    while (start < old.length && start < text.length && old[start] === text[start]) start++;
    let endOld = old.length;
    let endNew = text.length;
    while (endOld > start && endNew > start && old[endOld - 1] === text[endNew - 1]) (endOld--, endNew--);
    const range = monaco.Range.fromPositions(model.getPositionAt(start), model.getPositionAt(endOld));
    model.applyEdits([{ range, text: text.slice(start, endNew) }]);
    if (playing && editor.getModel() === model) editor.revealLineInCenterIfOutsideViewport(model.getPositionAt(start).lineNumber);
  }

  function paintAuthors(): void {
    legend.hidden = !authorship.checked;
    // Authorship is painted on the solution only.
    if (!authorship.checked || index < 0 || editor.getModel() !== model) return decorations.clear();
    const spans = (instant?.spans ?? []).filter((s) => s.author !== null);
    decorations.set(
      spans.map((s) => ({
        range: monaco.Range.fromPositions(model.getPositionAt(s.start), model.getPositionAt(s.end)),
        options: {
          inlineClassName: `author-${authorIds.indexOf(s.author!)}${s.pasted !== undefined ? ' pasted' : ''}`,
          hoverMessage: { value: `${s.pasted !== undefined ? 'Pasted' : 'Typed'} by ${nameOf(s.author)}` },
        },
      })),
    );
  }

  function renderMoment(): void {
    const passed = markers.filter((m) => m.t <= t);
    if (passed.length !== shownMoment) {
      shownMoment = passed.length;
      momentList.replaceChildren(
        ...passed
          .slice()
          .reverse()
          .map((m, i) => momentItem(m, i === 0)),
      );
      if (passed.length === 0) momentList.append(h('li', { class: 'muted' }, 'Nothing has happened yet.'));
    }
    recording.seek(origin + t);
    const latest = room.get().latestRun;
    // The recorded run itself (the reducer numbers runs the recording left unnumbered).
    const run = latest ? (data.runs.find((r) => r.id === latest.id) ?? null) : null;
    if (run !== shownRun) {
      shownRun = run;
      renderResults(recordedHost, run, { role: 'mentor', participants, goto });
      if (!run) recordedHost.replaceChildren(h('p', { class: 'results-empty' }, 'No run yet at this moment.'));
    }
  }

  function momentItem(m: Marker, latest: boolean): HTMLElement {
    const note = m.ref.notes !== undefined ? data.notes[m.ref.notes] : undefined;
    const event = m.kind === 'console' && m.ref.events !== undefined ? data.events[m.ref.events] : undefined;
    const chat = m.kind === 'chat' && m.ref.events !== undefined ? data.events[m.ref.events] : undefined;
    const run = m.ref.runs;
    const time = h('button', { type: 'button', class: 'moment-time', title: 'Go to this moment' }, formatInterviewTime(m.t));
    time.addEventListener('click', () => goToMarker(m));
    const li = h(
      'li',
      { class: `moment-item moment-${m.kind}${latest ? ' latest' : ''}` },
      time,
      h('span', { class: `swatch marker-${m.kind}` }),
      note ? h('span', { class: 'moment-note' }, note.text) : event ? consoleMoment(m.label, event.data) : chat ? chatMoment(chat) : h('span', {}, m.label),
    );
    if (run !== undefined) {
      const changes = h('button', { type: 'button', class: 'btn btn-ghost btn-small moment-diff' }, run === 0 ? 'Changes since the start' : `Changes since run ${run}`);
      changes.addEventListener('click', () => openRunDiff(versions, run, run + 1));
      li.append(changes);
    }
    return li;
  }

  /** The start and every run, as the diff dialog compares them: the code each run graded. */
  const versions: Version[] = [
    { label: 'the start', code: () => history.seek(0).text },
    ...data.runs.map((r, i) => ({
      label: `${r.kind === 'final' ? 'the final grading' : `run ${i + 1}`} (${formatInterviewTime(r.requestedAt - origin)})`,
      code: () => history.seek(r.updateId !== null ? history.indexOfId(r.updateId) : history.indexAt(r.requestedAt)).text,
    })),
  ];

  /** A marker: its moment; a paste also selects the text it put there (where the paste is found). */
  function goToMarker(m: Marker): void {
    const e = m.ref.events;
    const update = e !== undefined ? pasteOf.get(e) : undefined;
    if (update === undefined) return showAt(m.t);
    // The paste's update may be stamped a moment after its event: show the text once it is there.
    showAt(Math.max(m.t, history.updates[update]!.at - origin));
    if (editor.getModel() !== model) solutionTab.click();
    const span = instant?.spans.find((s) => s.pasted === update);
    if (!span) return;
    const range = monaco.Range.fromPositions(model.getPositionAt(span.start), model.getPositionAt(span.end));
    editor.setSelection(range);
    editor.revealRangeInCenterIfOutsideViewport(range);
  }

  /** A chat message in the list: its author and whole text (as typed; the report renders it). */
  function chatMoment(e: TimelineEvent): HTMLElement {
    return h('span', { class: 'moment-chat-text' }, h('strong', {}, `${e.participantId ? nameOf(e.participantId) : 'Someone'}: `), String(e.data['text'] ?? ''));
  }

  /** A console run in the list: its outcome, and what went in and came out (as recorded, the start of each). */
  function consoleMoment(label: string, d: Record<string, unknown>): HTMLElement {
    const block = (name: string, key: string) => {
      const text = typeof d[key] === 'string' ? (d[key] as string) : '';
      const whole = Number(d[`${key}Chars`] ?? text.length);
      if (!text) return null;
      return h(
        'div',
        { class: `console-record console-record-${key}` },
        h('span', { class: 'console-record-name' }, whole > text.length ? `${name} (first ${text.length} of ${whole} characters)` : name),
        h('pre', { tabindex: 0 }, text),
      );
    };
    return h('details', { class: 'console-moment' }, h('summary', {}, label), block('stdin', 'stdin'), block('stdout', 'stdout'), block('stderr', 'stderr'));
  }

  function goto(line: number, column: number): void {
    editor.revealLineInCenter(line);
    editor.setPosition({ lineNumber: line, column });
  }

  function jumpTo(dir: 1 | -1, filter?: (m: Marker) => boolean): void {
    const next = jump(markers, t, dir, filter);
    if (next !== null) showAt(next);
  }

  // ---- playback --------------------------------------------------------------------------------
  function setPlaying(on: boolean): void {
    playing = on && t < duration;
    playButton.textContent = playing ? 'Pause' : 'Play';
    if (playing) {
      lastFrame = performance.now();
      requestAnimationFrame(frame);
    }
  }
  function frame(now: number): void {
    if (!playing) return;
    const dt = Math.min(now - lastFrame, 250);
    lastFrame = now;
    const p = axis.toAxis(t) + dt * Number(speed.value);
    showAt(axis.fromAxis(p));
    if (t >= duration) setPlaying(false);
    else requestAnimationFrame(frame);
  }
  playButton.addEventListener('click', () => setPlaying(!playing));
  skipIdle.addEventListener('change', () => {
    axis = new TimeAxis(duration, activity, skipIdle.checked);
    scrubber.setAxis(axis);
    showAt(t);
  });
  authorship.addEventListener('change', paintAuthors);

  testButton.addEventListener('click', async () => {
    const update = history.updates[Math.max(0, index)];
    if (!update) return;
    testButton.disabled = true;
    testButton.textContent = 'Testing…';
    const when = formatInterviewTime(t);
    try {
      const run = await reviewApi.testMoment(token, update.id);
      testedHost.hidden = false;
      renderResults(testedHost, run, { role: 'mentor', participants, goto });
      testedHost.prepend(h('p', { class: 'tested-label' }, `Tested now, on the code as it stood at ${when} (not part of the recording)`));
    } catch (err) {
      toast(`Could not test this moment: ${(err as Error).message}`, 'error');
    } finally {
      testButton.disabled = false;
      testButton.textContent = 'Test this moment';
    }
  });

  async function exportJson(): Promise<void> {
    try {
      download(`${fileStem(data)}.json`, JSON.stringify(await reviewApi.exportJson(token), null, 1), 'application/json');
    } catch (err) {
      toast(`Export failed: ${(err as Error).message}`, 'error');
    }
  }

  function toggleHelp(show = help.hidden): void {
    help.hidden = !show;
  }

  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const handled = (() => {
      switch (e.key) {
        case ' ':
          setPlaying(!playing);
          return true;
        case 'ArrowRight':
          showAt(t + (e.shiftKey ? 6 : 1) * STEP_MS);
          return true;
        case 'ArrowLeft':
          showAt(t - (e.shiftKey ? 6 : 1) * STEP_MS);
          return true;
        case ']':
          jumpTo(1, isRun);
          return true;
        case '[':
          jumpTo(-1, isRun);
          return true;
        case '.':
          jumpTo(1);
          return true;
        case ',':
          jumpTo(-1);
          return true;
        case 'Home':
          showAt(0);
          return true;
        case 'End':
          showAt(duration);
          return true;
        case '?':
          toggleHelp();
          return true;
        case 'Escape':
          toggleHelp(false);
          return true;
        default:
          return false;
      }
    })();
    if (handled) e.preventDefault();
  });

  showAt(0);
  // For tests and the benchmark: the instant shown, and a seek as the scrubber does it.
  Object.assign(window, {
    replayState: () => ({
      t,
      index,
      text: model.getValue(),
      scratch: scratchModel.getValue(),
      speed: Number(speed.value),
      playing,
      duration,
      selection: model.getValueInRange(editor.getSelection() ?? new monaco.Range(1, 1, 1, 1)),
    }),
    replaySeek: (ms: number) => showAt(ms),
  });
}
