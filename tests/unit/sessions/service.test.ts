// Ordering guarantees of the session service, with a store whose writes we hold back: an edit is
// acknowledged and broadcast only after the store has it.
import { fakeRunner } from '../../support/fake-runner.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadExercises } from '../../../server/src/exercises/load.ts';
import { SessionAdmin } from '../../../server/src/sessions/admin.ts';
import { SessionService } from '../../../server/src/sessions/service.ts';
import { ManualClock } from '../../../server/src/sessions/timer.ts';
import { loadKeys } from '../../../server/src/sessions/tokens.ts';
import { SqliteStore } from '../../../server/src/store/sqlite.ts';
import { TEST_EXERCISES_DIR } from '../../support/paths.ts';

const noRunner = fakeRunner();
let dir: string;
let store: SqliteStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-service-'));
  store = new SqliteStore(path.join(dir, 'db.sqlite'));
});
afterEach(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('SessionService.write', () => {
  it('resolves and broadcasts only after the store has the update', async () => {
    const clock = new ManualClock();
    const catalog = await loadExercises(TEST_EXERCISES_DIR);
    const keys = loadKeys(dir, 'unit-test-mentor-key-123');
    const service = new SessionService({ store, catalog, runner: noRunner, clock, snapshotEvery: 100, log: () => {} });
    const broadcasts: Uint8Array[] = [];
    service.on('docUpdate', (_id, m) => broadcasts.push(m));
    const admin = new SessionAdmin({ store, catalog, clock, keys, loadedRecord: () => undefined });
    const s = await admin.create({ candidateName: 'Ada' });
    const token = s.links.candidate.split('/').pop()!;
    const who = await service.authenticate(token, undefined);
    service.attach(who);
    // The mentor starts the timer: a waiting session refuses the candidate's edits.
    const mentor = await service.authenticate(s.links.mentor.split('/').pop()!, undefined);
    service.attach(mentor);
    expect((await service.startTimer(mentor)).ok).toBe(true);

    // Hold the store's write back.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const real = store.appendUpdate.bind(store);
    store.appendUpdate = async (u) => {
      await gate;
      return real(u);
    };

    const client = new Y.Doc();
    client.getText('code').insert(0, 'x');
    let done = false;
    const p = service.write(who, 'conn-1', Y.encodeStateAsUpdate(client)).then((r) => ((done = true), r));
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    expect(broadcasts).toHaveLength(0);
    release();
    expect(await p).toEqual({ ok: true, value: null });
    expect(broadcasts).toHaveLength(1);
    expect((await store.listUpdates(s.id)).length).toBe(2); // starter + the edit
    service.detach(who, 'conn-1');
    service.detach(mentor, 'conn-0');
    await service.close();
  });
});
