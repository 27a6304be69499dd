// An acknowledged edit survives kill -9: the real server (tsx server/src/index.ts) as a child
// process, SIGKILLed right after the acks, restarted on the same DATA_DIR.
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../common/protocol.ts';
import { connect, startSession, tempDir } from './helpers.ts';
import { LISTENING, localServerEnv, spawnServer, type ServerProcess } from '../support/server-process.ts';
import { TEST_EXERCISES_DIR } from '../support/paths.ts';

const MENTOR_KEY = 'kill-nine-mentor-key-0123456789';
const children: ServerProcess[] = [];
const dataDir = tempDir('ci-kill9-');

afterAll(async () => {
  for (const c of children) await c.kill9();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Starts the server and resolves with its URL once it prints the listening line. */
async function boot(): Promise<{ url: string; proc: ServerProcess }> {
  const proc = spawnServer({ env: localServerEnv(dataDir, { MENTOR_KEY, EXERCISES_DIR: TEST_EXERCISES_DIR }) });
  children.push(proc);
  return { url: (await proc.waitFor(LISTENING, 60_000))[1]!, proc };
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
    await first.proc.kill9();
    cand.close();

    const second = await boot();
    const again = await connect(second.url, s.links.candidate);
    expect(again.text.toString()).toBe(expected);
    expect(again.text.toString()).toContain('/* edit 49 */');
    again.close();
    await second.proc.stop();
  });
});
