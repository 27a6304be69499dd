// The server's clock ends the interview, end to end in Chromium: the 1-minute warning reaches the
// candidate, and at the deadline both rooms lock, show the end state and the final grading, and a
// keystroke after it changes nothing. The server runs on a manual clock set to another year, so
// the browsers also prove they show server time corrected for their own clock.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../server/src/sessions/timer.ts';
import { createSession, ARTIFACTS, SKIP_BROWSER_TESTS, editorText, poll as pollFor, startHarness, type Harness } from './harness.ts';

const poll = <T>(fn: () => Promise<T> | T) => pollFor(fn, 30_000);

describe.skipIf(SKIP_BROWSER_TESTS)('the deadline in Chromium', () => {
  const clock = new ManualClock();
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ clock });
  }, 180_000);
  afterAll(() => h?.close());

  it('warns at one minute, then ends and grades the session for both rooms', async () => {
    const session = await createSession(h, { candidateName: 'Linus', minutes: 5 });
    const context = await h.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const mentor = await context.newPage();
    const candidate = await context.newPage();
    await mentor.goto(new URL(session.links.mentor, h.baseUrl).href);
    await candidate.goto(new URL(session.links.candidate, h.baseUrl).href);
    await poll(() => candidate.locator('.timer').innerText()).toBe('05:00');

    await mentor.click('.start-timer');
    await poll(() => candidate.locator('.editor-host.readonly').count()).toBe(0);
    await candidate.locator('.editor-host .view-lines').click();
    // At the top, where both editors have it in view (Monaco renders only visible lines).
    await candidate.keyboard.press('ControlOrMeta+Home');
    await candidate.keyboard.type('// my final answer\n');
    await poll(() => editorText(mentor)).toContain('// my final answer');
    // The server's year is 2025; the browsers' is not: they still show about five minutes.
    await poll(() => candidate.locator('.timer').innerText()).toMatch(/^0[45]:\d\d$/);

    clock.advance(4 * MINUTE);
    await poll(() => candidate.locator('.toasts').innerText()).toContain('1 minute left');

    clock.advance(1 * MINUTE);
    for (const page of [mentor, candidate]) {
      await poll(() => page.locator('.banner').innerText()).toContain('The interview ended');
      await poll(() => page.locator('.banner').innerText()).toMatch(/Final result: \d+ \/ \d+/);
      // Said truthfully: the deadline ended it, not the interviewer.
      expect(await page.locator('.banner').innerText()).toContain('ended at the deadline');
      await poll(() => page.locator('.results-by').innerText()).toContain('graded at the deadline');
      await poll(() => page.locator('.timer').innerText()).toBe('00:00');
      await poll(() => page.locator('.editor-host.readonly').count()).toBe(1);
    }
    await candidate.locator('.editor-host .view-lines').click();
    await candidate.keyboard.type('too late');
    await candidate.waitForTimeout(300);
    expect(await editorText(candidate)).not.toContain('too late');
    expect(await editorText(mentor)).toContain('// my final answer');
    await candidate.screenshot({ path: path.join(ARTIFACTS, 'deadline-candidate.png') });
    await context.close();
  }, 180_000);
});
