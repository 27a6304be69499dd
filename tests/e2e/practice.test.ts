// Practice, end to end in Chromium: a student finds an exercise from the home page, reads it, starts it,
// runs the visible tests, submits, sees the verdicts (hidden tests by name and status only),
// finds the attempt and its replay in "My attempts" (with the hint it revealed as a moment of its
// own); another browser sees none of it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, SKIP_BROWSER_TESTS, editorText, poll, startHarness, trackedPage, type Harness } from './harness.ts';

const SOLUTION = fs.readFileSync(new URL('../../exercises/ring-buffer/solution.c', import.meta.url), 'utf8');

describe.skipIf(SKIP_BROWSER_TESTS)('practice in Chromium', () => {
  let h: Harness;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  const newPage = (label: string) => trackedPage(h.browser, contexts, errors, label);
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name) });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    h = await startHarness();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  it('a student practises an exercise from the catalogue to the result and the replay', async () => {
    const student = await newPage('student');
    await student.goto(`${h.baseUrl}/`);
    await shot(student, 'home.png');
    await student.click('a.door-primary');
    await student.waitForURL(/\/practice$/);
    await poll(() => student.locator('.exercise-card').count()).toBeGreaterThanOrEqual(3);
    await student.selectOption('.filter-difficulty', 'easy');
    await poll(() => student.locator('.exercise-card[data-slug=ring-buffer]').count()).toBe(1);
    for (const d of await student.locator('.exercise-card .difficulty').allTextContents()) expect(d).toBe('easy');
    await shot(student, 'practice-catalogue.png');

    // Opening a card shows the exercise to read; the attempt and its clock start only with Start there.
    await student.click('.exercise-card[data-slug=ring-buffer] .open-exercise');
    await student.waitForURL(/\/practice\/ring-buffer$/);
    await student.getByRole('heading', { name: 'Ring buffer', level: 1 }).waitFor();
    expect(await h.store.listSessions({})).toEqual([]);
    await student.click('.start-attempt');
    await student.waitForURL(/\/s\/[^/]+$/);
    await student.getByRole('button', { name: 'Submit' }).waitFor(); // the room is live
    await poll(() => student.locator('.editor-host.readonly').count()).toBe(0);
    expect(await student.locator('.badge').innerText()).toMatch(/practice/i);
    expect(await student.locator('.start-timer').count()).toBe(0); // already running
    expect(await student.locator('.add-time').count()).toBe(0); // no extra time for oneself

    // A hint first: the replay shows it among the moments.
    await student.getByRole('button', { name: /^Show hint 1 of \d$/ }).click();
    await poll(async () => (await h.store.listEvents((await h.store.listSessions({}))[0]!.id)).filter((e) => e.type === 'hint').length).toBe(1);

    // The reference solution, pasted, then the visible tests.
    await student.locator('.editor-host .view-lines').click();
    await student.keyboard.press('ControlOrMeta+A');
    await student.evaluate((t) => {
      const data = new DataTransfer();
      data.setData('text/plain', t);
      document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, SOLUTION);
    await poll(() => editorText(student)).toContain('r->len--'); // the pasted solution's end, where the editor scrolled
    await student.click('.run');
    await poll(() => student.locator('.results-headline').innerText(), 60_000).toMatch(/\d+ \/ \d+ tests passed/);
    expect(await student.locator('.tag-hidden').count()).toBe(0);
    await shot(student, 'practice-run.png');

    student.once('dialog', (d) => void d.accept());
    await student.click('.submit');
    await poll(() => student.locator('.banner').innerText(), 60_000).toMatch(/Submitted.*Final result/);
    await poll(() => student.locator('.tag-hidden').count()).toBeGreaterThan(0);
    expect(await student.locator('.case-detail').count()).toBe(0); // all pass: nothing to open; hidden never has detail
    await shot(student, 'practice-result.png');

    await student.click('.banner a:has-text("Back to practice")');
    await student.waitForURL(/\/practice$/);
    await poll(() => student.locator('.attempt-row').count()).toBe(1);
    const score = await student.locator('.attempt-row .score').innerText();
    expect(score).toMatch(/^(\d+)\/\1$/);
    await poll(() => student.locator('.exercise-card[data-slug=ring-buffer] .best').innerText()).toBe(`Best: ${score}`);
    await shot(student, 'practice-attempts.png');

    await student.click('.attempt-row a:has-text("Replay")');
    await student.locator('.replay-clock').waitFor();
    await poll(() => student.locator('.scrubber .marker-run-pass').count()).toBeGreaterThan(0);
    // The hint revealed: a marker on the scrubber that goes there, and then a moment in the list
    // (which lists what happened up to the playhead).
    expect(await student.locator('.scrubber .marker-hint').count()).toBe(1);
    await student.getByRole('button', { name: /^\d\d:\d\d .+ revealed hint 1: / }).click();
    await poll(() => student.locator('.moment-hint.latest').count()).toBe(1);
    expect(await student.locator('.moment-hint').innerText()).toMatch(/revealed hint 1: \S+/);
    expect(await student.getByRole('slider', { name: 'Attempt time' }).count()).toBe(1); // not "Interview time"
    for (const [width, height] of [
      [1280, 800],
      [1024, 768],
    ] as const) {
      await student.setViewportSize({ width, height });
      await shot(student, `practice-replay-hint-${width}.png`);
    }

    // Another browser has its own, empty history.
    const other = await newPage('other');
    await other.goto(`${h.baseUrl}/practice`);
    await poll(() => other.locator('.attempts').innerText()).toContain('None yet');
    expect(await other.locator('.best').allInnerTexts()).not.toContain(`Best: ${score}`);

    expect(errors).toEqual([]);
  }, 240_000);
});
