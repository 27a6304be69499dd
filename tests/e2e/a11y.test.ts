// Accessibility in Chromium: axe-core's WCAG 2.0/2.1 A and AA rules report no violation on the
// landing page, the dashboard, the interview room (interviewer and candidate), the practice
// catalogue, exercise page and room, the replay (and its changes dialog) and the report, at 1280x800 and
// 1024x768 (colour contrast, scrollable regions reachable by keyboard, no control inside another,
// names, roles, ...); screenshots in /tmp. With the keyboard alone, Tab reaches the room's and the
// replay's controls (pane handles, tabs, scrubber, markers, ...) and passes a read-only editor.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { SessionSummary } from '../../common/protocol.ts';
import { ARTIFACTS, MENTOR_KEY, SKIP_BROWSER_TESTS, poll, startHarness, trackedPage, type Harness } from './harness.ts';

/** axe-core's browser build (a pinned devDependency). */
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface Violation {
  id: string;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/** The violations on the page as it is now, one line per element, readable in a failure. */
async function violations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol: the page's CSP (rightly) refuses an injected <script>.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: Violation[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })).violations;
  }, WCAG_AA);
  return found.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.help}): ${JSON.stringify(n.target)} ${n.failureSummary?.replace(/\s+/g, ' ') ?? ''}`));
}

describe.skipIf(SKIP_BROWSER_TESTS)('accessibility (axe-core, WCAG 2.1 AA)', () => {
  let h: Harness;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const link = (p: string) => new URL(p, h.baseUrl).href;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    h = await startHarness();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  /** Checks the page at both sizes, with a screenshot of each in /tmp. */
  async function check(page: Page, name: string): Promise<void> {
    for (const [width, height] of [
      [1280, 800],
      [1024, 768],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForTimeout(300); // Monaco and split.js lay out again
      await page.screenshot({ path: path.join('/tmp', `a11y-${name}-${width}.png`) });
      // Soft: one run lists every page's violations.
      expect.soft(await violations(page), `${name} at ${width}x${height}`).toEqual([]);
    }
  }

  /** What Tab reaches from the top of the page, in order (selectors of each focused element). */
  async function tabStops(page: Page, max: number): Promise<string[]> {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const seen: string[] = [];
    for (let i = 0; i < max; i++) {
      await page.keyboard.press('Tab');
      const at = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body || el.dataset['tabSeen']) return null; // back at the start
        el.dataset['tabSeen'] = '1';
        return `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}[${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 20) ?? ''}]`;
      });
      if (at === null) break;
      seen.push(at);
    }
    await page.evaluate(() => document.querySelectorAll<HTMLElement>('[data-tab-seen]').forEach((el) => delete el.dataset['tabSeen']));
    return seen;
  }

  it('has no violation on any page', async () => {
    const api = async (method: string, route: string, body?: unknown) => {
      const res = await fetch(h.baseUrl + route, {
        method,
        headers: { authorization: `Bearer ${MENTOR_KEY}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return res.json();
    };
    const page = await trackedPage(h.browser, contexts, errors, 'visitor');
    await page.goto(link('/'));
    await check(page, 'landing');
    await page.goto(link('/practice'));
    await poll(() => page.locator('.exercise-card').count()).toBeGreaterThan(2);
    await check(page, 'practice-catalogue');

    // An interview: both rooms while it runs (with a run's results), then its replay and report.
    const s = (await api('POST', '/api/sessions', { candidateName: 'Ada Lovelace' })) as SessionSummary;
    const mentor = await trackedPage(h.browser, contexts, errors, 'mentor');
    await mentor.goto(link(s.links.mentor));
    await mentor.locator('.start-timer').click();
    const candidate = await trackedPage(h.browser, contexts, errors, 'candidate');
    await candidate.goto(link(s.links.candidate));
    await poll(() => candidate.locator('.editor-host.readonly').count()).toBe(0);
    await candidate.locator('.run').click();
    await poll(() => candidate.locator('.results-headline').count(), 90_000).toBeGreaterThan(0);
    await check(candidate, 'room-candidate');
    await mentor.locator('.tab:has-text("Guide")').click();
    await check(mentor, 'room-mentor-guide');
    await mentor.locator('.console-tab').click();
    await check(mentor, 'room-mentor-console');
    mentor.once('dialog', (d) => void d.accept());
    await mentor.locator('.end-now').click();
    await poll(() => mentor.locator('.banner').innerText(), 90_000).toContain('Final result');
    await check(mentor, 'room-mentor-ended');
    const roomStops = await tabStops(mentor, 60);
    for (const control of [
      'button.tab',
      'button.file-tab',
      'div.gutter.gutter-horizontal',
      'div.gutter.gutter-vertical',
      'button.btn.btn-ghost.btn-small.shortcuts-button',
      'button.history-entry',
    ]) {
      expect(
        roomStops.some((x) => x.startsWith(control)),
        `Tab reaches ${control} in the room: ${roomStops.join(' | ')}`,
      ).toBe(true);
    }

    await page.goto(link(`/mentor#key=${MENTOR_KEY}`));
    await page.locator('.session-row').first().waitFor();
    await check(page, 'dashboard');

    const reviewer = await trackedPage(h.browser, contexts, errors, 'reviewer');
    await reviewer.goto(link(s.links.review));
    await reviewer.locator('.replay-clock').waitFor();
    await reviewer.keyboard.press('End');
    await check(reviewer, 'replay');
    // Keyboard alone: Tab reaches the replay's controls (and passes the read-only editor), which work from the keys.
    await reviewer.setViewportSize({ width: 1280, height: 800 });
    const stops = await tabStops(reviewer, 120);
    for (const control of [
      'button.btn.btn-primary.play',
      'select.speed',
      'div.scrub-slider',
      'button.marker',
      'button.btn.btn-secondary.btn-small.test-moment',
      'button.btn.btn-ghost.btn-small.moment-diff',
      'div.side-body',
    ]) {
      expect(
        stops.some((x) => x.startsWith(control)),
        `Tab reaches ${control}: ${stops.join(' | ')}`,
      ).toBe(true);
    }
    expect(stops.findIndex((x) => x.startsWith('button.btn.btn-secondary.btn-small.test-moment'))).toBeGreaterThan(stops.findIndex((x) => x.includes('monaco')));
    await reviewer.locator('.moment-diff').first().focus();
    await reviewer.keyboard.press('Enter');
    await reviewer.locator('.run-diff-dialog').waitFor();
    await check(reviewer, 'replay-diff-dialog');
    await reviewer.keyboard.press('Escape');
    await poll(() => reviewer.locator('.run-diff-dialog').count()).toBe(0);
    await reviewer.goto(link(`${s.links.review}/report`));
    await reviewer.locator('.stats').waitFor();
    await check(reviewer, 'report');

    // A practice room, as a student sees it.
    const student = await trackedPage(h.browser, contexts, errors, 'student');
    await student.goto(link('/practice'));
    await student.click('.exercise-card[data-slug=ring-buffer] .open-exercise');
    await student.waitForURL(/\/practice\/ring-buffer$/);
    await check(student, 'practice-exercise');
    await student.click('.start-attempt');
    await student.waitForURL(/\/s\/[^/]+$/);
    await poll(() => student.locator('.editor-host.readonly').count()).toBe(0);
    await check(student, 'room-practice');
    expect(errors).toEqual([]);
  }, 300_000);
});
