// Where each kind of run goes in the runner's queue: the room hands the runner the job's class
// (final grading, live interview run, everything else) and whom it counts against, so that the
// queue can put interviews first and keep one session or student to one slot.
import { fakeRunner } from '../support/fake-runner.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradeResult } from '../../common/exercise.ts';
import type { Runner, RunOptions } from '../../server/src/runner/index.ts';
import { connect, startServer, until, type TestServer } from './helpers.ts';

const passing: GradeResult = {
  status: 'ok',
  passed: 1,
  total: 1,
  cases: [{ name: 'a', visible: true, status: 'pass', timeMs: 1 }],
  diagnostics: [],
  compilerOutput: '',
  timings: { compileMs: 1, runMs: 1 },
};
const asked: Array<{ kind: 'grade' | 'runFiles'; jobClass?: string; owner?: string }> = [];
const recording: Runner = fakeRunner({
  runFiles: async (_sources, _headers, options: RunOptions = {}) => {
    asked.push({ kind: 'runFiles', jobClass: options.jobClass, owner: options.owner });
    return {
      status: 'ok',
      exitCode: 0,
      stdout: '',
      stderr: '',
      stdoutTruncated: false,
      stderrTruncated: false,
      diagnostics: [],
      compilerOutput: '',
      timings: { compileMs: 1, runMs: 1 },
    };
  },
  grade: async (_exercise, _source, options: RunOptions = {}) => {
    asked.push({ kind: 'grade', jobClass: options.jobClass, owner: options.owner });
    return passing;
  },
});

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ runner: recording });
});
afterAll(() => server.close());

describe('the class and owner of each run', () => {
  it('interview: runs are "interview", console runs "other", the final grading "final", all owned by the session', async () => {
    const session = await server.createSession({}, { start: true });
    const candidate = await connect(server.url, session.links.candidate);
    expect((await candidate.socket.timeout(5000).emitWithAck('run:request')).ok).toBe(true);
    await until(() => asked.length === 1);
    expect((await candidate.socket.timeout(5000).emitWithAck('console:run', { stdin: '' })).ok).toBe(true);
    await until(() => asked.length === 2);
    const mentor = await connect(server.url, session.links.mentor);
    expect((await mentor.socket.timeout(5000).emitWithAck('session:end')).ok).toBe(true);
    await until(() => asked.length === 3);
    const owner = `session:${session.id}`;
    expect(asked).toEqual([
      { kind: 'grade', jobClass: 'interview', owner },
      { kind: 'runFiles', jobClass: 'other', owner },
      { kind: 'grade', jobClass: 'final', owner },
    ]);
    candidate.close();
    mentor.close();
  });

  it('practice: every run is "other", owned by the student across their attempts', async () => {
    asked.length = 0;
    const post = (exercise: string, cookie?: string) =>
      fetch(`${server.url}/api/practice/attempts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify({ exercise }),
      });
    const first = await post('ring-buffer');
    const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
    const second = await post('mem-search', cookie);
    const links = [(await first.json()).link as string, (await second.json()).link as string];
    for (const link of links) {
      const student = await connect(server.url, link);
      expect((await student.socket.timeout(5000).emitWithAck('timer:start')).ok).toBe(true);
      expect((await student.socket.timeout(5000).emitWithAck('run:request')).ok).toBe(true);
      await until(() => asked.length === links.indexOf(link) + 1);
      student.close();
    }
    expect(asked.map((a) => a.jobClass)).toEqual(['other', 'other']);
    expect(asked[0]!.owner).toMatch(/^student:/);
    expect(asked[1]!.owner).toBe(asked[0]!.owner);
  });
});
