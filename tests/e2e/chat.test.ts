// The room's chat in Chromium: the interviewer and the candidate exchange messages (an unread count
// on the hidden tab, code rendered), an observer reads them and has no input, axe finds nothing
// wrong with the chat open at 1280x800 and 1024x768 (screenshots in /tmp), and the replay and the
// report show the messages at their interview times. The server's clock is a ManualClock, so the
// times are exact.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { SessionSummary } from '../../common/protocol.ts';
import { ManualClock } from '../../server/src/sessions/timer.ts';
import { createSession, MENTOR_KEY, SKIP_BROWSER_TESTS, poll, startHarness, trackedPage, type Harness } from './harness.ts';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SIZES = [
  [1280, 800],
  [1024, 768],
] as const;

async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type V = { id: string; help: string; nodes: Array<{ target: unknown[] }> };
    const axe = (window as unknown as { axe: { run(ctx: Document, o: unknown): Promise<{ violations: V[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.help}): ${JSON.stringify(n.target)}`));
  });
}

const chatBox = (page: Page) => page.getByRole('textbox', { name: 'Chat message' });
const log = (page: Page) => page.getByRole('log', { name: 'Chat messages' });
const chatTab = (page: Page) => page.locator('.tab:has-text("Chat")');

describe.skipIf(SKIP_BROWSER_TESTS)('the chat in Chromium', () => {
  const clock = new ManualClock();
  let h: Harness;
  let session: SessionSummary;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const link = (p: string) => new URL(p, h.baseUrl).href;

  beforeAll(async () => {
    h = await startHarness({ clock });
    session = await createSession(h, { candidateName: 'Ada Lovelace' });
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  it('mentor and candidate talk, the observer reads, the replay and the report keep it', async () => {
    const mentor = await trackedPage(h.browser, contexts, errors, 'mentor');
    await mentor.goto(link(session.links.mentor));
    await mentor.locator('.start-timer').click();
    const candidate = await trackedPage(h.browser, contexts, errors, 'candidate');
    await candidate.goto(link(session.links.candidate));
    const observer = await trackedPage(h.browser, contexts, errors, 'observer');
    await observer.goto(link(session.links.observer));
    await poll(() => candidate.locator('.editor-host.readonly').count()).toBe(0);
    for (const page of [candidate, observer]) await poll(() => page.locator('.tab').allInnerTexts()).toEqual(['Problem', 'Chat']);

    // ---- the interviewer writes at 00:10; the candidate's hidden tab counts it ----
    clock.advance(10_000);
    await chatTab(mentor).click();
    await chatBox(mentor).fill('Hi Ada, ask here if anything is unclear.');
    await chatBox(mentor).press('Enter');
    await poll(() => log(mentor).innerText()).toContain('Hi Ada, ask here if anything is unclear.');
    await poll(() => chatBox(mentor).inputValue()).toBe('');
    await poll(() => candidate.locator('.tab-badge').textContent(), 5000).toBe(', 1 unread');
    await poll(() => candidate.getByRole('tab', { name: /^Chat\W+1 unread$/ }).count()).toBe(1);
    expect(await candidate.locator('.tab-badge').isVisible()).toBe(true);
    await chatTab(candidate).click();
    await poll(() => candidate.locator('.tab-badge').isVisible()).toBe(false);
    const first = candidate.locator('.chat-message').first();
    expect(await first.locator('.chat-author').innerText()).toBe('Mentor'); // the interviewer's default name
    expect(await first.locator('.chat-role').innerText()).toBe('Interviewer');
    expect(await first.locator('.chat-time').innerText()).toBe('00:10');

    // ---- the candidate answers at 01:30 with inline and fenced code (Send button) ----
    clock.advance(80_000);
    await chatBox(candidate).fill('Should `len` be a size_t? Like:\n```c\nsize_t len = strlen(s);\n```');
    await candidate.getByRole('button', { name: 'Send' }).click();
    for (const page of [mentor, candidate, observer]) await poll(() => page.locator('.chat-message').count()).toBe(2);
    const answer = mentor.locator('.chat-message').nth(1);
    expect(await answer.locator('.chat-author').innerText()).toBe('Ada Lovelace');
    expect(await answer.locator('.chat-time').innerText()).toBe('01:30');
    expect(await answer.locator('p code').innerText()).toBe('len');
    expect(await answer.locator('pre code').innerText()).toBe('size_t len = strlen(s);\n');

    // HTML in a message is shown as the text typed, an image as its alt text: nothing is loaded or run.
    await chatBox(mentor).fill('Yes, with #include <string.h>. <img src=x onerror="window.hacked=1"> ![tracker](http://example.com/x.png)');
    await chatBox(mentor).press('Enter');
    await poll(() => candidate.locator('.chat-message').count()).toBe(3);
    expect(await candidate.locator('.chat-message img').count()).toBe(0);
    expect(await candidate.locator('.chat-message').nth(2).locator('.chat-text').innerText()).toBe('Yes, with #include <string.h>. <img src=x onerror="window.hacked=1"> tracker');
    expect(await candidate.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();

    // An empty message is refused in the page, with the reason under the box.
    await chatBox(candidate).fill('   ');
    await chatBox(candidate).press('Enter');
    await poll(() => candidate.locator('.chat-add').innerText()).toContain('only spaces');

    // ---- the observer reads, with no box to write in; the unread count waited for them ----
    expect(await observer.getByRole('tab', { name: /^Chat\W+3 unread$/ }).count()).toBe(1);
    await chatTab(observer).click();
    await poll(() => log(observer).innerText()).toContain('size_t len = strlen(s);');
    expect(await chatBox(observer).count()).toBe(0);
    expect(await observer.getByRole('button', { name: 'Send' }).count()).toBe(0);
    expect(await observer.locator('.chat-readonly').innerText()).toContain('Observers read the chat');

    // ---- axe with the chat open, and screenshots at both sizes ----
    for (const [w, ht] of SIZES) {
      for (const [name, page] of [
        ['mentor', mentor],
        ['observer', observer],
      ] as const) {
        await page.setViewportSize({ width: w, height: ht });
        await page.waitForTimeout(300);
        await page.screenshot({ path: `/tmp/chat-${name}-${w}.png` });
        // The room fills the window whatever the panel holds.
        expect(await page.evaluate(() => Math.round(document.querySelector('.room-main')!.getBoundingClientRect().bottom))).toBe(ht);
        expect.soft(await axeViolations(page), `${name} at ${w}`).toEqual([]);
        // The box and the Send button are on screen (the layout fits).
        if (name === 'mentor') {
          const box = (await chatBox(page).boundingBox())!;
          const send = (await page.getByRole('button', { name: 'Send' }).boundingBox())!;
          expect(box.y + box.height).toBeLessThanOrEqual(ht);
          expect(send.x + send.width).toBeLessThanOrEqual(w);
          expect(send.y + send.height).toBeLessThanOrEqual(ht);
        }
      }
    }

    // ---- the end; the discussion goes on afterwards ----
    clock.advance(60_000);
    const end = await fetch(`${h.baseUrl}/api/sessions/${session.id}/end`, { method: 'POST', headers: { authorization: `Bearer ${MENTOR_KEY}` } });
    expect(end.status).toBe(200);
    clock.advance(30_000);
    await poll(() => mentor.locator('.banner').innerText()).toMatch(/ended/i);
    await chatBox(mentor).fill('Thanks! Walk me through your loop.');
    await chatBox(mentor).press('Enter');
    await poll(() => candidate.locator('.chat-message').count()).toBe(4);

    // ---- the replay: chat markers and moments at their interview times ----
    const reviewer = await trackedPage(h.browser, contexts, errors, 'reviewer');
    await reviewer.goto(link(session.links.review));
    await reviewer.locator('.replay-clock').waitFor();
    await poll(() => reviewer.locator('.scrubber .marker-chat').count()).toBe(4);
    expect(await reviewer.locator('.scrubber .marker-chat').first().getAttribute('aria-label')).toBe('00:10 Mentor said: Hi Ada, ask here if anything is unclear.');
    await reviewer.keyboard.press('End');
    const moments = reviewer.locator('.moment-item.moment-chat');
    await poll(() => moments.count()).toBe(4);
    // Newest first.
    expect(await moments.locator('.moment-time').allInnerTexts()).toEqual(['03:00', '01:30', '01:30', '00:10']);
    expect(await moments.nth(2).innerText()).toContain('Ada Lovelace: Should `len` be a size_t?');
    await reviewer.screenshot({ path: '/tmp/chat-replay-1280.png' });

    // ---- the report's Chat section ----
    await reviewer.goto(link(`${session.links.review}/report`));
    const section = reviewer.locator('section.report-section:has(h2:text-is("Chat"))');
    await poll(() => section.locator('.chat-message').count()).toBe(4);
    expect(await section.locator('.chat-time').allInnerTexts()).toEqual(['00:10', '01:30', '01:30', '03:00']);
    expect(await section.locator('pre code').innerText()).toBe('size_t len = strlen(s);\n');
    await reviewer.emulateMedia({ media: 'print' });
    expect(await section.isVisible()).toBe(true);
    await section.screenshot({ path: '/tmp/chat-report-print.png' });
    await reviewer.emulateMedia({ media: 'screen' });

    expect(errors).toEqual([]);
  }, 240_000);
});
