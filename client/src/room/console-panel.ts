// The room's scratch console: a "Console" tab beside solution.c with the shared scratch file (a
// second Monaco editor bound to the Y.Text 'scratch'), a stdin box, a Run button and the output of
// the latest console run, which everyone in the session sees.
import './console.css';
import { CONSOLE_EVENT_TEXT, CONSOLE_STDIN_BYTES, SCRATCH_FILE, SCRATCH_TEXT, SOLUTION_FILE, type ConsoleRunView } from '../../../common/console.ts';
import { may, mayEver } from '../../../common/policy.ts';
import type { ErrorReply, SessionStatus, SessionView } from '../../../common/protocol.ts';
import { createCollabEditor, type CollabEditor } from '../editor/collab-editor.ts';
import type { monaco } from '../editor/monaco.ts';
import type { SocketIOProvider } from '../editor/provider.ts';
import type { MarkerSpec } from '../session/markers.ts';
import { isBusy, runStatusText, type InFlight } from '../session/runs.ts';
import { formatClock, h, nodes, toast } from '../ui/dom.ts';

/** What the panel needs from the room, read whenever it renders. */
export interface ConsoleRoom {
  view: SessionView | null;
  status: SessionStatus;
  /** Time left on the clock (ms). */
  remainingMs: number;
  /** The latest console run, and the console runs in flight (the room's state). */
  latest: ConsoleRunView | null;
  runs: InFlight;
  connected: boolean;
}

export interface ConsolePanel {
  /** Follows the solution editor's lock (waiting, observer, ended). */
  setReadOnly(readOnly: boolean, message?: string): void;
  /** Renders the room's state: the Run button, the runs in flight, a new result (the room calls it on its clock tick and on every state change). */
  refresh(): void;
}

/** Panel width under which stdin and the output go below the editor (1024 px windows: 693 px). */
const STACK_BELOW_PX = 760;

const STATUS_TEXT: Record<ConsoleRunView['status'], string> = {
  ok: 'Exited',
  compile_error: 'Compilation failed',
  runtime_error: 'Crashed',
  timeout: 'Stopped: time limit',
  memory_limit: 'Stopped: memory limit',
  output_limit: 'Stopped: output limit',
  rejected: 'Not run',
};

/** The headline of a result, and its tone. */
export function consoleHeadline(run: ConsoleRunView): { text: string; tone: 'pass' | 'fail' | 'error' } {
  if (run.status === 'ok') return { text: `Exited with status ${run.exitCode ?? '?'}`, tone: run.exitCode === 0 ? 'pass' : 'fail' };
  return { text: STATUS_TEXT[run.status], tone: run.status === 'compile_error' || run.status === 'rejected' ? 'error' : 'fail' };
}

/**
 * Mounts the tab strip in the editor bar in place of its file name (`fileName`), so the file is
 * named once, and the panel beside the solution editor (`solutionHost`), which it hides while the
 * console is shown.
 */
export function mountConsole(
  fileName: HTMLElement,
  solutionHost: HTMLElement,
  solution: monaco.editor.IStandaloneCodeEditor,
  provider: SocketIOProvider,
  room: () => ConsoleRoom,
  /** Sends a console run with this stdin; null once accepted, else the server's refusal. */
  start: (stdin: string) => Promise<ErrorReply | null>,
): ConsolePanel {
  let scratch: CollabEditor | null = null;
  let readOnly: [boolean, string | undefined] = [true, undefined];
  let latest: ConsoleRunView | null = null;

  const editorHost = h('div', { class: 'console-editor' });
  const stdin = h('textarea', {
    class: 'console-stdin',
    spellcheck: 'false',
    rows: 4,
    'aria-label': 'stdin for the console run',
    placeholder: 'stdin: what main() reads (Ctrl/Cmd + Enter runs)',
  });
  const runButton = h(
    'button',
    { class: 'btn btn-primary btn-small console-run', type: 'button', disabled: true, title: 'Compile solution.c with scratch.c and run main() with this stdin' },
    'Run main()',
  );
  const runStatus = h('span', { class: 'console-status', 'aria-live': 'polite' });
  // Scrolls: focusable for keyboard users.
  const output = h('div', { class: 'console-output', role: 'region', tabindex: 0, 'aria-label': 'Console output' });
  const panel = h(
    'section',
    { class: 'console-panel', hidden: true, 'aria-label': 'Scratch console' },
    editorHost,
    h(
      'div',
      { class: 'console-side' },
      h('div', { class: 'console-head' }, h('span', { class: 'console-label' }, 'stdin'), runStatus, runButton),
      stdin,
      h('div', { class: 'console-label' }, 'Output ', h('span', { class: 'console-note' }, 'scratch.c is never graded; everyone in the room sees this')),
      output,
    ),
  );
  solutionHost.after(panel);
  // Beside the editor, stdin and the output take a third of a narrow panel (46 columns were left
  // at 1024 px): below a usable width they move under the editor, side by side.
  new ResizeObserver(() => {
    if (!panel.hidden) panel.classList.toggle('stacked', panel.clientWidth < STACK_BELOW_PX);
  }).observe(panel);

  // Tabs in place of the bar's file name: the solution, and the console.
  const solutionTab = h('button', { class: 'file-tab active', type: 'button', role: 'tab', 'aria-selected': 'true' }, SOLUTION_FILE);
  const consoleTab = h(
    'button',
    { class: 'file-tab console-tab', type: 'button', role: 'tab', 'aria-selected': 'false', title: 'A main() of your own, run with your stdin' },
    `Console (${SCRATCH_FILE})`,
  );
  const tabs = h('div', { class: 'file-tabs', role: 'tablist' }, solutionTab, consoleTab);
  fileName.replaceWith(tabs);

  function show(consoleShown: boolean): void {
    panel.hidden = !consoleShown;
    solutionHost.hidden = consoleShown;
    solutionTab.classList.toggle('active', !consoleShown);
    consoleTab.classList.toggle('active', consoleShown);
    solutionTab.setAttribute('aria-selected', String(!consoleShown));
    consoleTab.setAttribute('aria-selected', String(consoleShown));
    // The second editor is made when first needed (Monaco is not free, and most rooms never open it).
    if (consoleShown && !scratch) {
      scratch = createCollabEditor(editorHost, provider, { onRun: () => void run(), runLabel: 'Run main()', text: SCRATCH_TEXT, fileName: SCRATCH_FILE });
      // A narrow gutter leaves the columns to the code: a scratch main() is short, folding it is not needed.
      scratch.editor.updateOptions({ folding: false, lineNumbersMinChars: 3, lineDecorationsWidth: 8 });
      scratch.setReadOnly(...readOnly);
      markScratch();
    }
    (consoleShown ? scratch?.editor : solution)?.focus();
  }
  solutionTab.addEventListener('click', () => show(false));
  consoleTab.addEventListener('click', () => show(true));

  function canRun(): boolean {
    const r = room();
    return !!r.view && may(r.view.mode, r.view.role, r.status, 'console') && r.remainingMs > 0 && r.connected && !isBusy(r.runs);
  }

  function refresh(): void {
    const r = room();
    if (r.latest && r.latest !== latest) showResult(r.latest);
    runButton.hidden = !r.view || !mayEver(r.view.mode, r.view.role, 'console');
    stdin.readOnly = runButton.hidden;
    runButton.disabled = !canRun();
    const text = runStatusText(r.runs).replace('Running tests…', 'Running…');
    runStatus.replaceChildren(...(text ? [h('span', { class: 'spinner', 'aria-hidden': 'true' }), text] : []));
  }

  async function run(): Promise<void> {
    if (!canRun()) return;
    const input = stdin.value;
    if (new TextEncoder().encode(input).length > CONSOLE_STDIN_BYTES) {
      toast(`stdin is over ${CONSOLE_STDIN_BYTES / 1024} KiB; shorten it.`, 'error');
      return;
    }
    const refused = await start(input);
    if (refused) toast(`Could not run the console: ${errorText(refused)}`, 'error');
  }
  runButton.addEventListener('click', () => void run());
  // Ctrl/Cmd+Enter anywhere in the console (stdin, its buttons) runs main(), not the room's tests;
  // in scratch.c the editor's own action does (collab-editor.ts) and the key stops there.
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.defaultPrevented) {
      e.preventDefault();
      void run();
    }
  });

  renderEmpty();

  function showResult(result: ConsoleRunView): void {
    latest = result;
    renderOutput(result);
    markScratch();
  }

  function renderEmpty(): void {
    output.replaceChildren(
      h('p', { class: 'console-empty' }, 'Write a main() in scratch.c, type its stdin, and press Run main(). Your solution.c is compiled with it; the tests are not.'),
    );
  }

  function goto(file: string, line: number, column: number): void {
    show(file === SCRATCH_FILE);
    const editor = file === SCRATCH_FILE ? scratch?.editor : solution;
    editor?.revealLineInCenter(line);
    editor?.setPosition({ lineNumber: line, column });
    editor?.focus();
  }

  function renderOutput(run: ConsoleRunView): void {
    const head = consoleHeadline(run);
    const you = room().view?.you;
    const who = run.participantId === you?.id ? 'you' : run.requestedBy;
    const timing = `${run.timings.compileMs + run.timings.runMs} ms`;
    const problems = [
      ...run.diagnostics.filter((d) => d.severity !== 'note').map((d) => ({ file: d.file, line: d.line, column: d.column, text: d.message, level: d.severity })),
      ...(run.fault ? [{ file: run.fault.file, line: run.fault.line, column: 1, text: run.fault.message, level: 'error' as const }] : []),
    ];
    const problemItems = problems.map((p) => {
      const where = p.file && p.line ? `${p.file}:${p.line}` : (p.file ?? '');
      const b = h(
        'button',
        { class: `problem problem-${p.level}`, type: 'button', title: 'Show in the editor', disabled: !(p.file && p.line) },
        h('span', { class: 'problem-where' }, where),
        h('span', {}, p.text),
      );
      if (p.file && p.line) b.addEventListener('click', () => goto(p.file!, p.line!, p.column));
      return h('li', {}, b);
    });
    const stream = (name: 'stdout' | 'stderr', text: string, truncated: boolean) =>
      text || truncated
        ? h(
            'div',
            { class: `console-stream console-${name}` },
            h(
              'div',
              { class: 'console-stream-name' },
              name,
              truncated ? h('span', { class: 'console-truncated' }, run.recorded ? ' (cut short in the record)' : ' (truncated at the output limit)') : null,
            ),
            h('pre', { tabindex: 0 }, text),
          )
        : null;
    output.replaceChildren(
      ...nodes(
        h(
          'div',
          { class: `console-result-head tone-${head.tone}` },
          h('strong', { class: 'console-headline' }, head.text),
          h('span', { class: 'console-by' }, `run by ${who} at ${formatClock(run.at)} · ${timing}`),
        ),
        run.recorded
          ? h(
              'p',
              { class: 'console-note' },
              `As the timeline recorded it: the first ${CONSOLE_EVENT_TEXT.toLocaleString('en')} characters of each text, without compiler messages.`,
            )
          : null,
        run.error ? h('p', { class: 'fault' }, run.error) : null,
        problemItems.length ? h('ul', { class: 'problems' }, ...problemItems) : null,
        stream('stdout', run.stdout, run.stdoutTruncated),
        stream('stderr', run.stderr, run.stderrTruncated),
        !run.stdout && !run.stderr && run.status === 'ok' ? h('p', { class: 'console-empty' }, '(no output)') : null,
        run.stdin ? h('details', { class: 'console-stdin-used' }, h('summary', {}, `stdin used (${run.stdin.length} characters)`), h('pre', { tabindex: 0 }, run.stdin)) : null,
        run.compilerOutput.trim()
          ? h('details', { class: 'compiler', open: run.status === 'compile_error' }, h('summary', {}, 'Compiler output'), h('pre', { tabindex: 0 }, run.compilerOutput))
          : null,
      ),
    );
  }

  /** Compiler messages and a fault located in scratch.c become markers in its editor. */
  function markScratch(): void {
    if (!scratch) return;
    const specs: MarkerSpec[] = [];
    for (const d of latest?.diagnostics ?? []) {
      if (d.file === SCRATCH_FILE && d.line >= 1)
        specs.push({ line: d.line, column: d.column >= 1 ? d.column : null, severity: d.severity === 'note' ? 'info' : d.severity, message: d.message, source: 'compiler' });
    }
    const f = latest?.fault;
    if (f?.file === SCRATCH_FILE && f.line) specs.push({ line: f.line, column: null, severity: 'error', message: f.message, source: 'runtime' });
    scratch.setMarkers(specs);
  }

  return {
    setReadOnly(value, message) {
      readOnly = [value, message];
      scratch?.setReadOnly(value, message);
    },
    refresh,
  };
}

function errorText(e: ErrorReply): string {
  if (e.code === 'session_ended') return 'the session has ended.';
  if (e.code === 'busy') return 'the runner is busy; try again in a moment.';
  return e.message || e.code;
}
