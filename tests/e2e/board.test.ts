// The comparison board in Chromium: rows of interviews, sorting by a column, the date, status and
// interviewer filters, CSV export, the similar pair, and two candidates side by side with matching lines
// highlighted; axe-core finds no WCAG A/AA problem. Screenshots in test-artifacts/board*.png.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { BOARD_COLUMNS, parseCsv } from '../../common/board.ts';
import { loadExercise } from '../../server/src/exercises/load.ts';
import { seedInterview } from '../support/board-seed.ts';
import { session, tokens } from '../support/store-fixtures.ts';
import { TEST_EXERCISES_DIR } from '../support/paths.ts';
import { ARTIFACTS, MENTOR_KEY, SKIP_BROWSER_TESTS, poll, startHarness, trackedPage, type Harness } from './harness.ts';

const AXE = fs.readFileSync(fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url)), 'utf8');
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/similarity/ring-buffer');
const T = Date.parse('2026-11-02T09:00:00Z');
const DAY = 86_400_000;

describe.skipIf(SKIP_BROWSER_TESTS)('the comparison board in Chromium', () => {
  let h: Harness;
  let page: Page;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const names = () => page.locator('.board-rows tbody th[scope=row]').allInnerTexts();

  beforeAll(async () => {
    h = await startHarness();
    page = await trackedPage(h.browser, contexts, errors, 'mentor', { width: 1400, acceptDownloads: true });
    page.on('response', (r) => {
      if (r.status() >= 500) errors.push(`${r.status()} from ${r.url()}`);
    });
    await page.goto(`${h.baseUrl}/mentor#key=${MENTOR_KEY}`);
    await page.waitForSelector('form.create');
    // Seeded after the dashboard has listed its (then no) sessions: seeded links are not real sealed tokens.
    const ring = await loadExercise(path.join(TEST_EXERCISES_DIR, 'ring-buffer'));
    await seedInterview(h.store, ring, { id: 'ada', candidate: 'Ada', source: ring.solution, startedAt: T, overall: 4, interviewer: 'Grace' });
    await seedInterview(h.store, ring, {
      id: 'bob',
      candidate: 'Bob',
      source: fs.readFileSync(path.join(FIXTURES, 'copy-of-reference.c'), 'utf8'),
      startedAt: T + DAY,
      overall: 2,
      failing: [0],
      pastes: 1,
    });
    await seedInterview(h.store, ring, { id: 'cy', candidate: 'Cy', source: fs.readFileSync(path.join(FIXTURES, 'indep-flexible.c'), 'utf8'), startedAt: T + 2 * DAY, overall: 3 });
    // An interview still in progress, with another interviewer.
    await h.store.createSession(
      session('liv', T + 3 * DAY, { exerciseSlug: 'ring-buffer', candidateName: 'Liv', status: 'live', startedAt: T + 3 * DAY, deadline: Date.now() + DAY }),
      tokens('liv'),
      new Uint8Array([0]),
    );
    await h.store.ensureParticipant({ id: 'liv-m', sessionId: 'liv', role: 'mentor', name: 'Linus', firstSeen: T + 3 * DAY });
    await page.click('a[href="/mentor/board"]');
    await page.waitForSelector('.board select[aria-label=Exercise]');
    await page.selectOption('.board select[aria-label=Exercise]', 'ring-buffer');
    await page.waitForSelector('.board-rows tbody tr');
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  it('lists the interviews, sorts by a column and filters by date', async () => {
    await poll(names).toEqual(['Liv', 'Cy', 'Bob', 'Ada']);
    await page.getByRole('button', { name: /^Sort by Overall/ }).click();
    await poll(names).toEqual(['Bob', 'Cy', 'Ada', 'Liv']); // no scorecard yet: last
    await page.getByRole('button', { name: /^Sort by Overall/ }).click();
    await poll(names).toEqual(['Ada', 'Cy', 'Bob', 'Liv']);
    await page.fill('input[aria-label="From date"]', '2026-11-03');
    await page.dispatchEvent('input[aria-label="From date"]', 'change');
    await poll(names).toEqual(['Cy', 'Bob', 'Liv']);
    await page.fill('input[aria-label="From date"]', '');
    await page.dispatchEvent('input[aria-label="From date"]', 'change');
    await poll(names).toEqual(['Ada', 'Cy', 'Bob', 'Liv']);
  });

  it('filters by status and by interviewer; an interview in progress cannot be picked to compare', async () => {
    const status = page.getByRole('combobox', { name: 'Status' });
    const interviewer = page.getByRole('combobox', { name: 'Interviewer' });
    await status.selectOption({ label: 'In progress' });
    await poll(names).toEqual(['Liv']);
    expect(await page.locator('.board-rows tbody td').nth(3).innerText()).toBe('In progress');
    expect(await page.getByRole('checkbox', { name: 'Select Liv to compare' }).isDisabled()).toBe(true);
    const size = page.viewportSize()!;
    for (const [width, height] of [
      [1280, 800],
      [1024, 768],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.locator('.board-table').evaluate((el) => el.scrollTo(0, 0));
      await page.screenshot({ path: path.join(ARTIFACTS, `board-status-${width}.png`) });
    }
    await page.setViewportSize(size);
    await status.selectOption({ label: 'Ended' });
    await poll(names).toEqual(['Ada', 'Cy', 'Bob']);
    await status.selectOption({ label: 'Any status' });
    expect(await interviewer.locator('option').allInnerTexts()).toEqual(['Any interviewer', 'Grace', 'Linus']);
    await interviewer.selectOption('Linus');
    await poll(names).toEqual(['Liv']);
    await interviewer.selectOption('Grace');
    await poll(names).toEqual(['Ada', 'Cy', 'Bob']);
    await interviewer.selectOption('');
    await poll(names).toEqual(['Ada', 'Cy', 'Bob', 'Liv']);
  });

  it('exports the rows shown as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...BOARD_COLUMNS]);
    expect(rows.map((r) => r[0])).toEqual(['Ada', 'Cy', 'Bob', 'Liv']);
  });

  it('shows the similar pair with its caveat, and two candidates side by side', async () => {
    await poll(() => page.locator('.pair-list li').allInnerTexts()).toHaveLength(1);
    expect(await page.locator('.board-pairs .notice').innerText()).toContain('not proof');
    await page
      .getByRole('button', { name: 'Compare Ada and Bob' })
      .or(page.getByRole('button', { name: 'Compare Bob and Ada' }))
      .click();
    await page.waitForSelector('.compare .code-lines');
    expect(await page.locator('.compare h2').innerText()).toMatch(/Ada and Bob|Bob and Ada/);
    expect(await page.locator('.compare .code-pane').count()).toBe(2);
    expect(await page.locator('.compare .line.match').count()).toBeGreaterThan(20);
    expect(await page.locator('.compare .code-diff').count()).toBe(1);
    expect(await page.locator('.compare .scorecard-mini').count()).toBe(2);

    // Picking two rows by their checkboxes compares those instead.
    await page.getByRole('checkbox', { name: 'Select Ada to compare' }).check();
    await page.getByRole('checkbox', { name: 'Select Cy to compare' }).check();
    await page.getByRole('button', { name: 'Compare the two selected' }).click();
    await poll(() => page.locator('.compare h2').innerText()).toMatch(/^Ada and Cy/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-full.png'), fullPage: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(ARTIFACTS, 'board.png') });
    await page.locator('.compare .compare-grid').screenshot({ path: path.join(ARTIFACTS, 'board-compare.png') });
  });

  it('shows the interviews picked on the dashboard, and every one on request', async () => {
    // The dashboard's "Compare the N picked" opens this address (tests/e2e/dashboard.test.ts).
    await page.goto(`${h.baseUrl}/mentor/board?exercise=ring-buffer&sessions=ada,bob`);
    await poll(names).toEqual(['Bob', 'Ada']);
    await poll(() => page.locator('.picked-note').innerText()).toMatch(/^Showing the 2 interviews picked on the dashboard/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'board-picked.png') });
    await page.getByRole('button', { name: 'Show every interview of the exercise' }).click();
    await poll(names).toEqual(['Liv', 'Cy', 'Bob', 'Ada']);
    expect(await page.locator('.picked-note').isHidden()).toBe(true);
  });

  it('has no WCAG A/AA problem axe-core can find, and no page error', async () => {
    await page.evaluate(AXE);
    const problems = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] });
      return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    });
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
  });
});
