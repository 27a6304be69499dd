// The interview room's details, in Chromium at 1280x800 and 1024x768 (screenshots in /tmp): the
// interviewer's guide and reference solution in the mentor's side panel only; the file named once;
// a Console editor showing 60+ columns at 1280 px with its first column in view; toasts in one
// corner, never over the results, a repeated one counted; compiler messages naming solution.c;
// the side panel resized from the keyboard; after an early end the timer says when it ended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { SessionSummary } from '../../common/protocol.ts';
import { createSession, MENTOR_KEY, SKIP_BROWSER_TESTS, poll, startHarness, trackedPage, type Harness } from './harness.ts';

const SIZES = [
  [1280, 800],
  [1024, 768],
] as const;
/** A paste long enough to be flagged (over 200 characters): the mentor gets a toast for each. */
const BIG_PASTE = `/* ${'pasted from elsewhere '.repeat(12)}*/\n`;

const shot = (page: Page, name: string) => page.screenshot({ path: `/tmp/room-${name}.png` });

async function paste(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Whether two boxes overlap. */
const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe.skipIf(SKIP_BROWSER_TESTS)('the room, in detail', () => {
  let h: Harness;
  let session: SessionSummary;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const link = (p: string) => new URL(p, h.baseUrl).href;

  beforeAll(async () => {
    h = await startHarness();
    session = await createSession(h, { candidateName: 'Ada Lovelace' });
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  it('guide, file name, console width, toasts, compiler messages, pane keys, end time', async () => {
    const mentor = await trackedPage(h.browser, contexts, errors, 'mentor');
    await mentor.goto(link(session.links.mentor));
    await mentor.locator('.start-timer').click();
    const candidate = await trackedPage(h.browser, contexts, errors, 'candidate');
    await candidate.goto(link(session.links.candidate));
    const observer = await trackedPage(h.browser, contexts, errors, 'observer');
    await observer.goto(link(session.links.observer));
    await poll(() => candidate.locator('.editor-host.readonly').count()).toBe(0);

    // ---- the guide: the mentor's tab, with the reference solution; nobody else has either ----
    await mentor.locator('.tab:has-text("Guide")').click();
    await poll(() => mentor.locator('.guide').innerText()).toContain('What to watch for');
    const guide = await mentor.locator('.guide').innerText();
    for (const section of ['Follow-up questions', 'Common mistakes', 'Reference solution']) expect(guide).toContain(section);
    expect((await mentor.locator('.guide-solution').innerText()).replace(/\u00a0/g, ' ')).toContain('ring_new(size_t capacity)');
    for (const page of [candidate, observer]) {
      // Waits for the room to render its tabs (reading at once raced the first render).
      await poll(() => page.locator('.tab').allInnerTexts()).toEqual(['Problem', 'Chat']);
      expect(await page.locator('.guide-solution').count()).toBe(0);
      expect(await page.content()).not.toContain('What to watch for');
    }
    for (const [w, ht] of SIZES) {
      await mentor.setViewportSize({ width: w, height: ht });
      await shot(mentor, `guide-${w}`);
    }

    // ---- the file is named once: the tabs stand in the bar, no second row ----
    for (const page of [mentor, candidate, observer]) {
      const bar = await page.locator('.editor-bar').innerText();
      expect(bar.match(/solution\.c/g), bar).toHaveLength(1);
      expect(await page.locator('.file-name').count()).toBe(0);
      expect(await page.locator('.editor-bar .file-tabs').count()).toBe(1);
    }

    // ---- the Console editor: 60 columns or more at 1280 and at 1024, the first one in view ----
    // At 1024 stdin and the output move under the editor, so the editor keeps the panel's width.
    await candidate.locator('.console-tab').click();
    await candidate.locator('.console-editor .view-line').first().waitFor();
    const measure = () =>
      candidate.evaluate(() => {
        const host = document.querySelector('.console-editor')!;
        const area = host.querySelector('.monaco-scrollable-element.editor-scrollable')!.getBoundingClientRect();
        const line = [...host.querySelectorAll<HTMLElement>('.view-line')].find((l) => (l.textContent ?? '').trim().length > 10)!;
        const text = line.querySelector('span')!;
        const chars = (text.textContent ?? '').length;
        const first = text.getBoundingClientRect();
        const charWidth = first.width / chars;
        const stdin = document.querySelector('.console-stdin')!.getBoundingClientRect();
        const output = document.querySelector('.console-output')!.getBoundingClientRect();
        // The vertical scrollbar (14 px) covers the last columns.
        return {
          visible: Math.floor((area.right - 14 - area.left) / charWidth),
          firstLeft: first.left,
          areaLeft: area.left,
          hostLeft: host.getBoundingClientRect().left,
          lines: Math.floor(area.height / 21),
          stdinHeight: stdin.height,
          outputHeight: output.height,
          outputWidth: output.width,
        };
      });
    for (const [w, ht] of SIZES) {
      await candidate.setViewportSize({ width: w, height: ht });
      await poll(async () => (await measure()).visible, 5_000).toBeGreaterThanOrEqual(60);
      const columns = await measure();
      expect(columns.firstLeft, `${w}`).toBeGreaterThanOrEqual(columns.areaLeft);
      expect(columns.areaLeft, `${w}`).toBeGreaterThanOrEqual(columns.hostLeft);
      // Still room for a short main(), its stdin and what it printed.
      expect(columns.lines, `${w}`).toBeGreaterThanOrEqual(9);
      expect(columns.stdinHeight, `${w}`).toBeGreaterThanOrEqual(56);
      expect(Math.min(columns.outputHeight, columns.outputWidth), `${w}`).toBeGreaterThanOrEqual(90);
      expect(await candidate.locator('.console-panel').evaluate((el) => el.classList.contains('stacked')), `${w}`).toBe(w < 1280);
      await shot(candidate, `console-${w}`);
    }
    await candidate.locator('.file-tab:has-text("solution.c")').click();

    // ---- compiler messages name solution.c, the file the candidate sees ----
    await candidate.locator('.editor-host .view-lines').click();
    await candidate.keyboard.press('ControlOrMeta+Home');
    await candidate.keyboard.type('this does not compile;');
    await candidate.keyboard.press('Enter');
    await candidate.locator('.run').click();
    await poll(() => candidate.locator('.results-headline').innerText(), 90_000).toContain('Compilation failed');
    const compiler = await candidate.locator('.compiler pre').innerText();
    expect(compiler).toMatch(/^solution\.c:1:\d+: error/m);
    expect(compiler).not.toContain('candidate.c');
    expect(await candidate.locator('.results-body').innerText()).not.toContain('candidate.c');

    // ---- toasts: one corner, never over the results; the same one again is counted ----
    await mentor.setViewportSize({ width: 1280, height: 800 });
    await candidate.locator('.editor-host .view-lines').click();
    for (let i = 0; i < 3; i++) {
      await candidate.keyboard.press('ControlOrMeta+End');
      await paste(candidate, BIG_PASTE);
      await candidate.waitForTimeout(150);
    }
    await poll(() => mentor.locator('.toast:has-text("pasted") .toast-count').innerText()).toBe('×3');
    expect(await mentor.locator('.toast:has-text("pasted")').count()).toBe(1);
    await mentor.locator('.add-time').click();
    await poll(() => mentor.locator('.toast').count()).toBeGreaterThanOrEqual(2);
    for (const [w, ht] of SIZES) {
      for (const page of [mentor, candidate]) {
        await page.setViewportSize({ width: w, height: ht });
        const results = (await page.locator('.results').boundingBox())!;
        for (const t of await page.locator('.toast').all()) {
          const box = (await t.boundingBox())!;
          expect(
            overlap(box as DOMRect, { ...results, left: results.x, top: results.y, right: results.x + results.width, bottom: results.y + results.height } as DOMRect),
            `toast over the results at ${w}`,
          ).toBe(false);
          const corner = (await page.locator('.toasts').boundingBox())!;
          expect(corner.x).toBeLessThan(w / 3); // bottom left
        }
      }
      await shot(mentor, `toasts-${w}`);
    }

    // ---- the side panel and the editor, resized from the keyboard ----
    const before = (await mentor.locator('.side').boundingBox())!.width;
    await mentor.locator('.gutter-horizontal').focus();
    for (let i = 0; i < 3; i++) await mentor.keyboard.press('ArrowRight');
    const after = (await mentor.locator('.side').boundingBox())!.width;
    expect(after).toBeGreaterThan(before + 30);
    expect(Number(await mentor.locator('.gutter-horizontal').getAttribute('aria-valuenow'))).toBeGreaterThan(32);

    // ---- after an early end the timer says when it ended, in every room ----
    mentor.once('dialog', (d) => void d.accept());
    await mentor.locator('.end-now').click();
    await poll(() => mentor.locator('.banner').innerText(), 90_000).toContain('Final result');
    const ended = (await (await fetch(`${h.baseUrl}/api/sessions/${session.id}`, { headers: { authorization: `Bearer ${MENTOR_KEY}` } })).json()) as SessionSummary;
    for (const page of [mentor, candidate, observer]) {
      const expected = await page.evaluate((at) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }), ended.endedAt!);
      await poll(() => page.locator('.timer-label').innerText()).toMatch(/ended at/i);
      expect(await page.locator('.timer').innerText()).toBe(expected);
    }
    for (const [w, ht] of SIZES) {
      await mentor.setViewportSize({ width: w, height: ht });
      await shot(mentor, `ended-${w}`);
      // Still the mentor's, after the end.
      expect(await mentor.locator('.tab:has-text("Guide")').count()).toBe(1);
    }
    expect(errors).toEqual([]);
  }, 300_000);
});
