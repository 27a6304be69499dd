// The replay of a session with 60 timeline events, in Chromium at 1280x800 and 1024x768
// (screenshots in /tmp): nothing moves while it plays through (fixed sidebar, toolbar and
// scrubber; clicks at 50% and 90% of the scrubber land on it and seek there); pasted text is
// marked in the author colours and a paste marker selects it; "Changes since run N" shows the diff
// between two runs' code.
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { GradeResult } from '../../common/exercise.ts';
import type { SessionSummary } from '../../common/protocol.ts';
import { codeDiff } from '../../client/src/review/run-diff.ts';
import type { SessionExport } from '../../server/src/review/export-schema.ts';
import { formatInterviewTime } from '../../client/src/review/timeline.ts';
import { syntheticSession } from '../support/synthetic.ts';
import { MENTOR_KEY, SKIP_BROWSER_TESTS, poll, startHarness, trackedPage, type Harness } from './harness.ts';

const EVENTS = 60;
const RUNS = 20;
const PASTED = '/* pasted */ static int helper(int x) { return x * 2; }\n'; // what synthetic.ts pastes

interface Recorded {
  doc: SessionExport;
  /** The code each run graded, by run index. */
  runCode: string[];
}

/** A 3-minute session: synthetic typing, RUNS runs, its pastes reported, notes up to EVENTS markers. */
function recorded(): Recorded {
  const { updates, startedAt } = syntheticSession(400, { seed: 5, minutes: 3 });
  const y = new Y.Doc();
  const texts: string[] = [];
  const pastes: SessionExport['events'] = [];
  for (const u of updates) {
    const before = y.getText('code').toString();
    Y.applyUpdate(y, u.bytes);
    const after = y.getText('code').toString();
    texts.push(after);
    if (u.participantId && after.length - before.length === PASTED.length && after.includes(PASTED)) {
      pastes.push({ at: u.at + 150, type: 'paste', participantId: u.participantId, data: { chars: PASTED.length, lines: 2, flagged: false } });
    }
  }
  y.destroy();
  expect(pastes.length).toBeGreaterThan(0);
  const runs: SessionExport['runs'] = [];
  const runCode: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const k = Math.floor(((i + 1) / (RUNS + 1)) * updates.length);
    const u = updates[k]!;
    const passed = i % 5;
    const cases: GradeResult['cases'] = Array.from({ length: 5 }, (_, c) => ({ name: `case ${c}`, visible: c < 2, status: c < passed ? 'pass' : 'fail', timeMs: 3 }));
    const result: GradeResult = { status: 'ok', passed, total: 5, cases, diagnostics: [], compilerOutput: '', timings: { compileMs: 100, runMs: 10 } };
    runs.push({ id: `run-${i}`, at: u.at + 400, requestedAt: u.at, kind: 'manual', participantId: 'p_a', updateId: u.id, source: texts[k]!, result });
    runCode.push(texts[k]!);
  }
  const start: SessionExport['events'][number] = { at: startedAt, type: 'start', participantId: 'p_b', data: {} };
  const last = updates.at(-1)!.at;
  const notes: SessionExport['notes'] = [];
  for (let i = 0; notes.length < EVENTS - RUNS - pastes.length - 1; i++) {
    notes.push({ id: `n${i}`, at: startedAt + 2_000 + i * 4_000, participantId: 'p_b', text: `Note ${i}: ${'a long remark about the approach, '.repeat((i % 4) + 1)}` });
  }
  const doc: SessionExport = {
    format: 'c-interview-session',
    version: 1,
    exportedAt: last + 5_000,
    session: {
      mode: 'interview',
      exercise: { slug: 'ring-buffer', title: 'Ring buffer' },
      candidateName: 'Replay Layout',
      status: 'ended',
      createdAt: startedAt - 120_000,
      durationMs: 5 * 60_000,
      startedAt,
      deadline: startedAt + 5 * 60_000,
      endedAt: last + 1_000,
    },
    participants: [
      { id: 'p_a', role: 'candidate', name: 'Replay Layout', firstSeen: startedAt - 60_000 },
      { id: 'p_b', role: 'mentor', name: 'Mentor', firstSeen: startedAt - 60_000 },
    ],
    updates: updates.map((u) => ({ id: u.id, at: u.at, participantId: u.participantId, bytes: Buffer.from(u.bytes).toString('base64') })),
    runs,
    events: [start, ...pastes].sort((a, b) => a.at - b.at),
    notes,
    scorecard: null,
  };
  return { doc, runCode };
}

interface ReplayState {
  t: number;
  duration: number;
  playing: boolean;
  selection: string;
}

const state = (page: Page) => page.evaluate(() => (window as unknown as { replayState: () => ReplayState }).replayState());

/** Where the fixed parts of the replay are. */
async function layout(page: Page) {
  const box = async (sel: string) => {
    const b = (await page.locator(sel).boundingBox())!;
    return [b.x, b.y, b.width, b.height].map(Math.round);
  };
  return { scrubber: await box('.scrubber'), bar: await box('.replay-bar'), side: await box('.replay .side'), editor: await box('.replay-editor'), play: await box('.play') };
}

describe.skipIf(SKIP_BROWSER_TESTS)('the replay of a busy session', () => {
  let h: Harness;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  let rec: Recorded;
  let summary: SessionSummary;

  beforeAll(async () => {
    h = await startHarness();
    rec = recorded();
    const res = await fetch(`${h.baseUrl}/api/import?file=busy.json`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MENTOR_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(rec.doc),
    });
    expect(res.status).toBe(201);
    summary = (await res.json()) as SessionSummary;
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  it('keeps its layout while playing through 60 events, and clicks on the scrubber seek there', async () => {
    const page = await trackedPage(h.browser, contexts, errors, 'reviewer');
    await page.goto(new URL(summary.links.review, h.baseUrl).href);
    await page.locator('.replay-clock').waitFor();
    expect(await page.locator('.scrubber .marker').count()).toBe(EVENTS);

    for (const [width, height] of [
      [1280, 800],
      [1024, 768],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.keyboard.press('Home');
      await page.waitForTimeout(200);
      const before = await layout(page);
      await page.screenshot({ path: `/tmp/replay-start-${width}.png` });
      await page.selectOption('.speed', '32');
      await page.locator('.play').click();
      // Sampled while it plays: the moment list grows to 60 items, nothing else moves.
      while ((await state(page)).playing) {
        expect(await layout(page), `while playing at ${width}`).toEqual(before);
        await page.waitForTimeout(400);
      }
      const s = await state(page);
      expect(s.t).toBe(s.duration);
      expect(await page.locator('.moment-item').count()).toBe(EVENTS);
      expect(await layout(page), `after playing at ${width}`).toEqual(before);
      await page.screenshot({ path: `/tmp/replay-end-${width}.png` });

      for (const at of [0.5, 0.9]) {
        const bar = (await page.locator('.scrubber').boundingBox())!;
        const x = bar.x + bar.width * at;
        const y = bar.y + bar.height / 2;
        // Nothing covers the scrubber there (the toolbar once did, after wrapping).
        expect(await page.evaluate(([px, py]) => document.elementFromPoint(px!, py!)?.closest('.scrubber') !== null, [x, y])).toBe(true);
        await page.mouse.click(x, y);
        const slider = page.locator('.scrub-slider');
        const now = Number(await slider.getAttribute('aria-valuenow'));
        const max = Number(await slider.getAttribute('aria-valuemax'));
        expect(Math.abs(now / max - at), `click at ${at * 100}% of the scrubber at ${width}`).toBeLessThan(0.02);
      }
    }
    expect(errors).toEqual([]);
  }, 180_000);

  it('marks pasted text and selects it from its marker; shows the changes since a run', async () => {
    const page = await trackedPage(h.browser, contexts, errors, 'reviewer 2');
    await page.goto(new URL(summary.links.review, h.baseUrl).href);
    await page.locator('.replay-clock').waitFor();
    await page.locator('label:has-text("Authors") input').check();
    await page.locator('.scrubber .marker-paste').first().click();
    await poll(async () => (await state(page)).selection).toBe(PASTED);
    await poll(() => page.locator('.replay-editor .pasted').count()).toBeGreaterThan(0);
    expect(await page.locator('.authors').innerText()).toContain('pasted');
    await page.screenshot({ path: '/tmp/replay-paste.png' });

    // "Changes since run 4", from run 5 in the list.
    await page.keyboard.press('End');
    const item = page.locator('.moment-item', { hasText: /Run 5:/ });
    await item.locator('.moment-diff').click();
    const dialog = page.locator('.run-diff-dialog');
    await dialog.waitFor();
    const expected = codeDiff(rec.runCode[3]!, rec.runCode[4]!);
    const label = (i: number) => `run ${i + 1} (${formatInterviewTime(rec.doc.runs[i]!.requestedAt - rec.doc.session.startedAt!)})`;
    expect(await dialog.locator('.diff-summary').innerText()).toBe(
      `From ${label(3)} to ${label(4)}: ${expected.added} line${expected.added === 1 ? '' : 's'} added, ${expected.removed} removed.`,
    );
    expect((await dialog.locator('.run-diff').innerText()).trimEnd()).toBe(expected.lines.map((l) => l.text).join('\n'));
    await page.screenshot({ path: '/tmp/replay-diff.png' });
    // Another pair, chosen in the dialog.
    await dialog.locator('select[aria-label="Compare from"]').selectOption({ label: 'the start' });
    await poll(() => dialog.locator('.diff-summary').innerText()).toMatch(/^From the start to run 5/);
    await page.keyboard.press('Escape');
    await poll(() => dialog.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.classList.contains('moment-diff'))).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});
