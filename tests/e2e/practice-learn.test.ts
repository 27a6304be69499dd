// Practice that teaches, end to end in Chromium: a student reads two exercises (no attempt is
// made), starts one, asks for a hint, resets to the starter and undoes it, submits, reads in the
// report what each hidden test checks (no hidden input anywhere in the page), tries again from the
// code, and sees the change against the previous attempt and the history of the exercise.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { storedTextAt } from '../../server/src/history/stored.ts';
import { loadExercise } from '../../server/src/exercises/load.ts';
import type { Exercise } from '../../server/src/exercises/types.ts';
import { hashToken } from '../../server/src/sessions/tokens.ts';
import { SKIP_BROWSER_TESTS, poll, startHarness, trackedPage, type Harness } from './harness.ts';
import { TEST_EXERCISES_DIR } from '../support/paths.ts';

const SHOTS = '/tmp';
const AXE = fs.readFileSync(fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');

/** WCAG A and AA violations axe-core finds in the page (or in the parts named), as "rule: targets". */
async function accessibilityProblems(page: Page, include?: string[]): Promise<string[]> {
  // Evaluated, not added as a <script>: the page's Content-Security-Policy refuses inline scripts.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async (parts) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(parts ? { include: parts.map((p) => [p]) } : document, { runOnly: ['wcag2a', 'wcag2aa'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, include);
}

/**
 * How many of the elements matching `selector` axe-core's colour-contrast rule checked and passed
 * (not "incomplete", which it answers when it cannot tell), to know a clean run looked at them.
 */
async function contrastChecked(page: Page, selector: string): Promise<number> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async (sel) => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ passes: { nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: ['color-contrast'] });
    const passed = new Set(result.passes.flatMap((r) => r.nodes.map((n) => document.querySelector(n.target[0]!))));
    return [...document.querySelectorAll(sel)].filter((el) => el.textContent !== '' && passed.has(el)).length;
  }, selector);
}

describe.skipIf(SKIP_BROWSER_TESTS)('practice that teaches, in Chromium', () => {
  let h: Harness;
  let ring: Exercise;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  /** Screenshots at 1280x800 and at 1024x768, to look at. */
  const shots = async (page: Page, name: string, at?: string) => {
    const target = at === undefined ? null : page.getByRole('heading', { name: at });
    await target?.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/${name}-1280.png` });
    await page.setViewportSize({ width: 1024, height: 768 });
    await target?.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/${name}-1024.png` });
    await page.setViewportSize({ width: 1280, height: 800 });
  };
  /** The attempt's session id, from the room's URL (the student's token). */
  const sessionOf = async (page: Page) => (await h.store.findToken(hashToken(decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!))))!.sessionId;
  const stored = (id: string) => storedTextAt(h.store, id, Number.MAX_SAFE_INTEGER);
  /** Pastes text over the whole editor, as a person would. */
  const replaceCode = async (page: Page, text: string) => {
    await page.locator('.editor-host .view-lines').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.evaluate((t) => {
      const data = new DataTransfer();
      data.setData('text/plain', t);
      document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, text);
  };
  const submit = async (page: Page) => {
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Submit' }).click();
    await poll(() => page.locator('.banner').innerText(), 90_000).toMatch(/Submitted.*Final result/);
  };
  /** Nothing of a hidden case's input is in the page: not whole, not any distinctive line. */
  const expectNoHiddenInput = async (page: Page) => {
    const content = await page.content();
    for (const c of ring.cases.filter((x) => !x.visible)) {
      expect(content).not.toContain(c.input.trim());
      for (const line of c.input.split('\n').filter((l) => l.trim().length >= 12)) expect(content, `${c.name}: ${line}`).not.toContain(line);
    }
  };

  beforeAll(async () => {
    h = await startHarness();
    ring = await loadExercise(`${TEST_EXERCISES_DIR}/ring-buffer`);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  it('read, start, hint, reset and undo, submit, learn, try again, diff, history', async () => {
    const student = await trackedPage(h.browser, contexts, errors, 'student');

    // Reading is free: two exercises opened, no attempt made.
    await student.goto(`${h.baseUrl}/practice`);
    await student.getByRole('link', { name: 'Open Masked memory search' }).click();
    await student.waitForURL(/\/practice\/mem-search$/);
    await student.getByRole('heading', { name: 'Masked memory search', level: 1 }).waitFor();
    await student.getByRole('link', { name: 'All exercises' }).click();
    await student.getByRole('link', { name: 'Open Ring buffer' }).click();
    await student.waitForURL(/\/practice\/ring-buffer$/);
    await student.getByRole('heading', { name: 'Ring buffer', level: 1 }).waitFor();
    await student.getByRole('heading', { name: 'ring.h' }).waitFor(); // the headers, to read
    expect(await student.getByText('3 hints, one at a time if you ask').count()).toBe(1);
    expect(await h.store.listSessions({})).toEqual([]);
    expect(await accessibilityProblems(student)).toEqual([]);
    await shots(student, 'practice-read');

    // Start: the attempt and its clock begin now.
    await student.getByRole('button', { name: 'Start the 30-minute attempt' }).click();
    await student.waitForURL(/\/s\/[^/]+$/);
    await student.getByRole('button', { name: 'Submit' }).waitFor(); // the room is live
    await poll(() => student.locator('.editor-host.readonly').count()).toBe(0);
    const first = await sessionOf(student);
    expect((await h.store.getSession(first))?.status).toBe('live');

    // A hint, recorded.
    await student.getByRole('button', { name: 'Show hint 1 of 3' }).click();
    await student.getByText(ring.hints[0]!).waitFor();
    await poll(async () => (await h.store.listEvents(first)).filter((e) => e.type === 'hint').length).toBe(1);
    expect(await student.getByRole('button', { name: 'Show hint 2 of 3' }).isEnabled()).toBe(true);

    // The solution, then "Reset to starter" (confirmed), then Ctrl+Z brings the solution back.
    await replaceCode(student, ring.solution);
    await poll(() => stored(first)).toBe(ring.solution);
    await student.getByRole('button', { name: 'Reset to starter' }).click();
    const dialog = student.getByRole('dialog', { name: 'Reset to the starter code?' });
    await dialog.getByRole('button', { name: 'Reset to starter' }).click();
    await poll(() => stored(first)).toBe(ring.starter);
    await student.keyboard.press('ControlOrMeta+Z');
    await poll(() => stored(first)).toBe(ring.solution);
    expect(await accessibilityProblems(student, ['.hints-panel', '.reset-starter'])).toEqual([]);
    await shots(student, 'practice-room-hint');

    await submit(student);
    await expectNoHiddenInput(student); // the room's result names hidden tests, nothing more
    await student.getByRole('link', { name: 'Your report: what each test checks' }).click();
    await student.waitForURL(/\/r\/[^/]+\/report$/);

    // The report: what each hidden test checks, the hint used, the numbered code; nothing of an interviewer's page.
    await student.getByRole('heading', { name: 'Tests: your result and what each one checks' }).waitFor();
    for (const c of ring.cases.filter((x) => !x.visible)) await student.getByRole('cell', { name: c.explain!, exact: true }).waitFor();
    await student.getByRole('heading', { name: 'Hints you used' }).waitFor();
    expect(await student.locator('.practice-report .hint-list').innerText()).toContain(ring.hints[0]!);
    expect(
      await student
        .getByLabel(/^Final code, \d+ lines$/)
        .locator('.code-line')
        .count(),
    ).toBe(ring.solution.split('\n').length - 1);
    expect(await student.getByText('This is your first submitted attempt at this exercise').count()).toBe(1);
    for (const absent of ['Interviewer notes', 'Scorecard', 'Integrity signals', 'flagged pastes']) expect(await student.getByText(absent).count(), absent).toBe(0);
    // The chart speaks of the attempt: its axis (drawn on the canvas), its legend and its caption.
    const chart = student.locator('.practice-report .chart');
    expect(await chart.getAttribute('data-axis')).toBe('time into the attempt');
    expect(await chart.innerText()).toMatch(/the time limit/);
    expect(await chart.innerText()).not.toMatch(/interview|planned end/i);
    await expectNoHiddenInput(student);
    expect(await accessibilityProblems(student)).toEqual([]);
    await shots(student, 'practice-report-first');
    await shots(student, 'practice-report-first-code', 'Final code');

    // Try again from this code: a new attempt, clock running, with the submitted code; change it and submit.
    await student.getByRole('button', { name: 'Try again from this code' }).click();
    await student.waitForURL(/\/s\/[^/]+$/);
    await student.getByRole('button', { name: 'Submit' }).waitFor(); // the room is live
    await poll(() => student.locator('.editor-host.readonly').count()).toBe(0);
    const second = await sessionOf(student);
    expect(second).not.toBe(first);
    expect(await stored(second)).toBe(ring.solution);
    await student.getByRole('button', { name: 'Show hint 1 of 3' }).waitFor(); // hints are per attempt
    // One line added and one blank line removed, past line 9: the diff has a green and a red row
    // with two-digit line numbers (axe-core leaves one-character text unjudged).
    const lines = ring.solution.split('\n');
    lines.splice(
      lines.findIndex((l, i) => i >= 12 && l.trim() === ''),
      1,
    );
    lines.splice(10, 0, '// second try: same logic, tidier');
    const secondCode = lines.join('\n');
    await replaceCode(student, secondCode);
    await poll(() => stored(second)).toBe(secondCode);
    await submit(student);
    await student.getByRole('link', { name: 'Your report: what each test checks' }).click();
    await student.waitForURL(/\/r\/[^/]+\/report$/);

    // The change against the first attempt, and the history of two attempts.
    await student.getByRole('heading', { name: 'Compared with your previous attempt' }).waitFor();
    const diff = student.getByRole('table', { name: /^Changes from attempt #1 to this attempt$/ });
    await diff.waitFor();
    expect(await diff.locator('tr.row-add').allInnerTexts()).toEqual([expect.stringContaining('// second try: same logic, tidier')]);
    expect(await diff.locator('tr.row-del').count()).toBe(1);
    expect(await student.getByText('1 line added').count()).toBe(1);
    // The line numbers and marks on the green and red rows meet WCAG AA's contrast: axe checked them.
    expect(await accessibilityProblems(student, ['.code-diff'])).toEqual([]);
    expect(await contrastChecked(student, '.code-diff tr.row-add td.ln, .code-diff tr.row-del td.ln')).toBe(2);
    await student.getByRole('heading', { name: 'Your attempts at Ring buffer' }).waitFor();
    const history = student.getByRole('table', { name: 'Your attempts at this exercise, oldest first' });
    expect(await history.locator('tbody tr').count()).toBe(2);
    expect(
      await student
        .getByRole('img', { name: /^Score and time used per submitted attempt: / })
        .locator('canvas')
        .count(),
    ).toBeGreaterThan(0);
    expect(await student.getByRole('link', { name: 'Report of attempt #1' }).count()).toBe(1);
    expect(await student.getByText('None: you worked without hints.').count()).toBe(1);
    await expectNoHiddenInput(student);
    expect(await accessibilityProblems(student)).toEqual([]);
    await shots(student, 'practice-report-second-diff', 'Compared with your previous attempt');
    await shots(student, 'practice-report-second-history', 'Try again');

    // Back on the exercise page, the history is there too.
    await student.goto(`${h.baseUrl}/practice/ring-buffer`);
    await student.getByRole('heading', { name: 'Your attempts at this exercise' }).waitFor();
    expect(await student.getByRole('table', { name: 'Your attempts at this exercise, oldest first' }).locator('tbody tr').count()).toBe(2);
    expect(await accessibilityProblems(student)).toEqual([]);
    await shots(student, 'practice-read-history', 'Your attempts at this exercise');

    expect(errors).toEqual([]);
  }, 360_000);
});
