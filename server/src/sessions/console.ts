// The scratch console: compiles the stored solution together with the scratch file (which has its
// own main) against the exercise's public headers, never the test driver nor any case, and runs it
// with the stdin someone typed. Same runner queue and limits as test runs; one console run at a
// time per session (its own slot, beside the test run's). The result goes to everyone in the
// session, and a bounded summary into the timeline.
import {
  CONSOLE_EVENT_TEXT,
  CONSOLE_RUNS_PER_SESSION,
  SCRATCH_FILE,
  SOLUTION_FILE,
  type ConsoleDiagnostic,
  type ConsoleEventData,
  type ConsoleFile,
  type ConsoleRunView,
} from '../../../common/console.ts';
import { RUN_STATUSES } from '../../../common/exercise.ts';
import type { Result, RunQueued } from '../../../common/protocol.ts';
import { queueOwner } from './run-target.ts';
import type { Exercise } from '../exercises/types.ts';
import { storedFilesAt } from '../history/stored.ts';
import { QueueFullError, rejectedRun, type FilesRunResult, type Runner } from '../runner/index.ts';
import type { EventRecord, Store } from '../store/types.ts';
import { fail } from './errors.ts';
import type { Live } from './live.ts';
import { SessionJobs } from './jobs.ts';
import type { Clock } from './timer.ts';
import type { Emit } from './bus.ts';

export interface ConsoleTarget {
  sessionId: string;
  exercise: Exercise;
  /** Who the run counts against in the runner queue's fairness (run-target.ts queueOwner). */
  owner: string;
  /** Both files as stored, once the edits being committed are in. */
  files: () => Promise<{ solution: string; scratch: string }>;
}

export interface ConsolesOptions {
  store: Store;
  runner: Runner;
  clock: Clock;
  log: (msg: string, err?: unknown) => void;
  /** Publishes queue positions and results on the service's bus. */
  emit: Emit;
  /** The session has no console run in flight any more (it may be unloaded). */
  done: (sessionId: string) => void;
}

/** The scratch file a new session starts with: the exercise's own, or one that includes its headers. */
export function scratchStarter(exercise: Exercise): string {
  if (exercise.scratch !== null) return exercise.scratch;
  const includes = Object.keys(exercise.headers).map((h) => `#include "${h}"`);
  return [
    '// Scratch file: your own main(), compiled with your solution and run with the stdin below.',
    '// It is never graded. Call your functions here to try them out.',
    ...includes,
    '#include <stdio.h>',
    '',
    'int main(void) {',
    '    char line[256];',
    '    while (fgets(line, sizeof line, stdin)) printf("read: %s", line);',
    '    return 0;',
    '}',
    '',
  ].join('\n');
}

/** What a console run compiles: the document as stored, like a test run, read when the run starts. */
export function consoleTargetOf(store: Store, live: Live): ConsoleTarget {
  const id = live.record.id;
  const files = async () => {
    while (live.doc.writes.size > 0) await Promise.allSettled([...live.doc.writes]);
    return storedFilesAt(store, id, live.doc.lastUpdateId);
  };
  return { sessionId: id, exercise: live.exercise, owner: queueOwner(live), files };
}

function asFile(name: string | undefined): ConsoleFile | undefined {
  return name === SOLUTION_FILE || name === SCRATCH_FILE ? name : undefined;
}

export function consoleView(id: string, at: number, who: { participantId: string; name: string }, stdin: string, r: FilesRunResult): ConsoleRunView {
  const diagnostics: ConsoleDiagnostic[] = r.diagnostics.map((d) => ({
    file: asFile(d.file) ?? SCRATCH_FILE,
    line: d.line,
    column: d.column,
    severity: d.severity,
    message: d.message,
  }));
  const view: ConsoleRunView = {
    id,
    requestedBy: who.name,
    participantId: who.participantId,
    at,
    stdin,
    status: r.status,
    exitCode: r.exitCode,
    stdout: r.stdout,
    stderr: r.stderr,
    stdoutTruncated: r.stdoutTruncated,
    stderrTruncated: r.stderrTruncated,
    diagnostics,
    compilerOutput: r.compilerOutput,
    timings: { ...r.timings },
  };
  if (r.fault) {
    const { file, ...fault } = r.fault;
    view.fault = { ...fault, ...(asFile(file) ? { file: asFile(file) } : {}) };
  }
  if (r.error) view.error = r.error;
  return view;
}

/** The fault as one line for the timeline: what happened, and where when known. */
function faultText(view: ConsoleRunView): string | null {
  const f = view.fault;
  if (!f) return view.error ?? null;
  const where = [f.file, f.line !== undefined ? `line ${f.line}` : null, f.function ? `in ${f.function}` : null].filter(Boolean).join(', ');
  return (where ? `${f.message} (${where})` : f.message).slice(0, 200);
}

export function consoleEventData(view: ConsoleRunView): ConsoleEventData {
  const cut = (s: string) => s.slice(0, CONSOLE_EVENT_TEXT);
  return {
    runId: view.id,
    status: view.status,
    exitCode: view.exitCode,
    stdin: cut(view.stdin),
    stdinChars: view.stdin.length,
    stdout: cut(view.stdout),
    stdoutChars: view.stdout.length,
    stdoutTruncated: view.stdoutTruncated,
    stderr: cut(view.stderr),
    stderrChars: view.stderr.length,
    stderrTruncated: view.stderrTruncated,
    errors: view.diagnostics.filter((d) => d.severity === 'error').length,
    fault: faultText(view),
    ms: view.timings.compileMs + view.timings.runMs,
  };
}

/**
 * A console run as the timeline recorded it (consoleEventData): what someone joining later sees
 * when the full result is not in this node's memory. Read defensively: imported sessions carry
 * timeline data from outside.
 */
export function recordedConsoleView(event: EventRecord, requestedBy: string): ConsoleRunView {
  const d = event.data;
  const count = (key: string) => (typeof d[key] === 'number' && Number.isFinite(d[key]) ? (d[key] as number) : 0);
  const raw = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : '');
  const text = (key: string) => raw(key).slice(0, CONSOLE_EVENT_TEXT);
  const cut = (key: string) => d[`${key}Truncated`] === true || Math.max(count(`${key}Chars`), raw(key).length) > text(key).length;
  const status = RUN_STATUSES.find((known) => known === d['status']) ?? 'rejected';
  const [stdout, stderr] = [text('stdout'), text('stderr')];
  const errors = count('errors');
  const fault = text('fault');
  const view: ConsoleRunView = {
    id: text('runId') || `event-${event.id}`,
    requestedBy,
    participantId: event.participantId ?? '',
    at: event.at,
    stdin: text('stdin'),
    status,
    exitCode: typeof d['exitCode'] === 'number' ? d['exitCode'] : null,
    stdout,
    stderr,
    stdoutTruncated: cut('stdout'),
    stderrTruncated: cut('stderr'),
    diagnostics: [],
    compilerOutput: '',
    timings: { compileMs: 0, runMs: count('ms') },
    recorded: true,
  };
  if (fault) view.error = fault;
  else if (status === 'compile_error') view.error = `${errors} compile error${errors === 1 ? '' : 's'}; run it again to see the messages.`;
  return view;
}

export class Consoles {
  private readonly jobs: SessionJobs;
  /** Console runs recorded per session, counted from the store on the first run after a load. */
  private counts = new Map<string, number>();
  /** Session id -> the latest console run this node ran, in full. */
  private latest = new Map<string, ConsoleRunView>();

  constructor(private readonly o: ConsolesOptions) {
    this.jobs = new SessionJobs({ runner: o.runner, log: o.log, what: 'console run', queued: (id, q) => o.emit('consoleQueued', id, q), done: o.done });
  }

  private get closed(): boolean {
    return this.jobs.closed;
  }

  isBusy(sessionId: string): boolean {
    return this.jobs.isBusy(sessionId);
  }

  /** Replies at once with the queue position; the result is announced later. */
  async request(target: ConsoleTarget, who: { participantId: string; name: string }, stdin: string): Promise<Result<RunQueued>> {
    const id = target.sessionId;
    const refusal = this.jobs.refusal(id);
    if (refusal) return refusal;
    let count = this.counts.get(id);
    if (count === undefined) {
      count = (await this.o.store.listEvents(id)).filter((e) => e.type === 'console').length;
      this.counts.set(id, count);
    }
    if (count >= CONSOLE_RUNS_PER_SESSION) return fail('too_large', `This session has recorded ${CONSOLE_RUNS_PER_SESSION} console runs, the most it may hold.`);
    // Another request may have started while the count was read: start() checks again.
    const started = await this.jobs.start(id, (runId, onQueued) => this.execute(target, who, stdin, runId, onQueued));
    if (started.ok) this.counts.set(id, count + 1);
    return started;
  }

  /** The session left memory: its count is read again next time. */
  forget(sessionId: string): void {
    this.counts.delete(sessionId);
    this.latest.delete(sessionId);
  }

  /**
   * The session's latest console run, for someone (re)joining: in full when this node ran it and
   * nothing newer is recorded (another node may have run one since), else as the timeline has it.
   */
  async latestRun(sessionId: string, nameOf: (participantId: string | null) => string): Promise<ConsoleRunView | undefined> {
    const kept = this.latest.get(sessionId);
    const recorded = await this.o.store.lastEvent(sessionId, 'console');
    if (kept && (!recorded || recorded.data['runId'] === kept.id || kept.at >= recorded.at)) return kept;
    return recorded ? recordedConsoleView(recorded, nameOf(recorded.participantId ?? null)) : undefined;
  }

  private async execute(target: ConsoleTarget, who: { participantId: string; name: string }, stdin: string, runId: string, onQueued: (p: number) => void): Promise<void> {
    let result: FilesRunResult;
    try {
      const files = await target.files();
      result = await this.o.runner.runFiles({ [SOLUTION_FILE]: files.solution, [SCRATCH_FILE]: files.scratch }, target.exercise.headers, {
        stdin,
        onQueued,
        jobClass: 'other',
        owner: target.owner,
      });
    } catch (err) {
      if (this.closed) return;
      this.o.log(`console run ${runId} of session ${target.sessionId} failed`, err);
      result = rejectedRun(err instanceof QueueFullError ? 'The run queue is full; try again in a moment.' : 'The run failed on the server; try again.');
    }
    if (this.closed) return;
    const at = this.o.clock.now();
    const view = consoleView(runId, at, who, stdin, result);
    try {
      await this.o.store.addEvent(target.sessionId, { at, type: 'console', participantId: who.participantId, data: { ...consoleEventData(view) } });
    } catch (err) {
      // The output is still worth showing; only the timeline misses this run.
      this.o.log(`recording console run ${runId} failed`, err);
    }
    this.latest.set(target.sessionId, view);
    this.o.emit('consoleResult', target.sessionId, view);
  }

  async idle(): Promise<void> {
    await this.jobs.idle();
  }

  close(): void {
    this.jobs.close();
  }
}
