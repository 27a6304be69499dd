// An acknowledged edit survives kill -9: the real server (tsx server/src/index.ts) as a child
// process, SIGKILLed right after the acks, restarted on the same DATA_DIR.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../common/protocol.ts';
import { ROOT, connect, startSession, tempDir } from './helpers.ts';
import { TEST_EXERCISES_DIR } from '../support/paths.ts';

const MENTOR_KEY = 'kill-nine-mentor-key-0123456789';
const children: ChildProcess[] = [];
const dataDir = tempDir('ci-kill9-');

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the server and resolves with its URL once it prints the listening line. */
function boot(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/index.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      MENTOR_KEY,
      EXERCISES_DIR: TEST_EXERCISES_DIR,
      CLIENT_DIR: path.join(dataDir, 'no-client'),
      RUNNER_CONCURRENCY: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

describe('kill -9', () => {
  it('keeps every acknowledged edit', async () => {
    const first = await boot();
    const res = await fetch(`${first.url}/api/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MENTOR_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ candidateName: 'Ada' }),
    });
    expect(res.status).toBe(201);
    const s = (await res.json()) as SessionSummary;
    await startSession(first.url, s); // a candidate edits only once the mentor has started the timer
    const cand = await connect(first.url, s.links.candidate);
    const acks = [];
    for (let i = 0; i < 50; i++) acks.push(cand.edit((t) => t.insert(t.length, `/* edit ${i} */`)));
    expect((await Promise.all(acks)).every((r) => r.ok)).toBe(true);
    const expected = cand.text.toString();
    // Kill straight after the last ack: nothing gets a chance to flush or snapshot.
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;
    cand.close();

    const second = await boot();
    const again = await connect(second.url, s.links.candidate);
    expect(again.text.toString()).toBe(expected);
    expect(again.text.toString()).toContain('/* edit 49 */');
    again.close();
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  });
});
