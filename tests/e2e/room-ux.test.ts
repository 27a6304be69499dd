// The interview room as people use it, in Chromium: with an 80-character candidate name every
// control stays on screen at 1024x768 and 1280x800 for all three roles; cursor names show only
// while someone is active; time added is announced; runs have a numbered history; stderr is
// shown and not compared; a redraw keeps folded cases; a lost network is noticed within ~5 s;
// completions and the `?` sheet.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { SessionSummary } from '../../common/protocol.ts';
import { createSession, ARTIFACTS, SKIP_BROWSER_TESTS, editorText, poll, startHarness, trackedPage, type Harness } from './harness.ts';

const LONG_NAME = 'Maximiliana Alexandrina Konstantinopoulou-Vanderbilt de la Cruz y Montenegro-Ab'; // 80 characters
const MENTOR_NAME = 'Bartholomew Fitzwilliam Throckmorton-Smythe, Principal Staff Engineer, Platform'; // 80 too
const WRONG = fs.readFileSync(new URL('../../exercises/ring-buffer/wrong/full_wastes_slot.c', import.meta.url), 'utf8');

/** Every element matching `selector` that is displayed lies inside the viewport. */
async function assertOnScreen(page: Page, selectors: string[], label: string): Promise<void> {
  const { width, height } = page.viewportSize() ?? { width: 0, height: 0 };
  for (const selector of selectors) {
    const boxes = await page
      .locator(selector)
      .evaluateAll((els) => els.filter((el) => (el as HTMLElement).offsetParent !== null).map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
    expect(boxes.length, `${label}: ${selector} is shown`).toBeGreaterThan(0);
    for (const b of boxes) {
      expect(b.left, `${label}: ${selector} left`).toBeGreaterThanOrEqual(0);
      expect(b.top, `${label}: ${selector} top`).toBeGreaterThanOrEqual(0);
      expect(b.right, `${label}: ${selector} right at ${width}px`).toBeLessThanOrEqual(width);
      expect(b.bottom, `${label}: ${selector} bottom`).toBeLessThanOrEqual(height);
      expect(b.width, `${label}: ${selector} has a size`).toBeGreaterThan(0);
    }
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${label}: no sideways scroll`).toBeLessThanOrEqual(width);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

async function pasteAll(page: Page, text: string): Promise<void> {
  await page.locator('.editor-host .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** The name label's opacity of the first remote cursor in `page`. */
const labelOpacity = (page: Page) =>
  page
    .locator('.yRemoteSelectionHead')
    .first()
    .evaluate((el) => getComputedStyle(el, '::after').opacity);

describe.skipIf(SKIP_BROWSER_TESTS)('the room for mentor, candidate and observer', () => {
  let h: Harness;
  let session: SessionSummary;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const pages: Record<'mentor' | 'candidate' | 'observer', Page> = {} as never;

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    h = await startHarness();
    session = await createSession(h, { candidateName: LONG_NAME });
  }, 180_000);

  /** The three rooms, each in its own browser with an 80-character display name. */
  async function openRooms(): Promise<void> {
    for (const role of ['mentor', 'candidate', 'observer'] as const) {
      // The simulated outage makes Chromium log aborted requests; anything else is a bug.
      const page = await trackedPage(h.browser, contexts, errors, role, { expectedConsoleError: (t) => t.includes('ERR_INTERNET_DISCONNECTED') });
      await page.setViewportSize({ width: 1024, height: 768 });
      const name = role === 'mentor' ? MENTOR_NAME : `Observer ${LONG_NAME}`.slice(0, 80);
      await page.addInitScript((n) => localStorage.setItem('ci.name', n), name);
      await page.goto(new URL(session.links[role], h.baseUrl).href);
      await poll(() => page.locator('.timer').innerText()).toBe('30:00');
      pages[role] = page;
    }
  }

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  it('keeps every control on screen at 1024 and 1280 px with 80-character names', async () => {
    await openRooms();
    const { mentor, candidate, observer } = pages;
    await poll(() => mentor.locator('.presence .person').count()).toBe(3);
    const common = ['.brand', '.timer', '.timer-label', '.shortcuts-button', '.file-tabs']; // the file's name, as its tab
    const expected = { mentor: [...common, '.start-timer', '.you', '.run'], candidate: [...common, '.run'], observer: [...common, '.you'] };

    // Before the start the candidate's keystroke shows Monaco's read-only bubble.
    await candidate.locator('.editor-host .view-lines').click();
    await candidate.keyboard.type('x');
    await poll(() => candidate.locator('.monaco-editor-overlaymessage').count()).toBeGreaterThan(0);

    for (const width of [1024, 1280]) {
      for (const [role, page] of Object.entries(pages)) {
        await page.setViewportSize({ width, height: width === 1024 ? 768 : 800 });
        await assertOnScreen(page, expected[role as keyof typeof expected], `${role} waiting at ${width}`);
      }
    }
    // The long name is cut with an ellipsis but still readable, and the whole of it is in the tooltip.
    for (const width of [1024, 1280]) {
      for (const page of [mentor, candidate, observer]) {
        await page.setViewportSize({ width, height: 800 });
        expect((await page.locator('.room-candidate').boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(100);
      }
    }
    const cut = await mentor.locator('.room-candidate').evaluate((el) => ({ title: el.getAttribute('title'), clipped: el.scrollWidth > el.clientWidth }));
    expect(cut).toEqual({ title: `Candidate: ${LONG_NAME}`, clipped: true });
    expect(await candidate.locator('.room-candidate').getAttribute('title')).toBe(`Welcome, ${LONG_NAME}`);
    await shot(mentor, 'ux-mentor-waiting-1280.png');

    await mentor.click('.start-timer');
    await poll(() => candidate.locator('.editor-host.readonly').count()).toBe(0);
    // The read-only bubble from before the start is gone once the editor unlocks.
    await poll(() => candidate.locator('.monaco-editor-overlaymessage').count()).toBe(0);
    for (const width of [1024, 1280]) {
      for (const [role, page] of Object.entries(pages)) {
        await page.setViewportSize({ width, height: width === 1024 ? 768 : 800 });
        const live = role === 'mentor' ? [...expected.mentor.filter((s) => s !== '.start-timer'), '.add-time', '.end-now'] : expected[role as keyof typeof expected];
        await assertOnScreen(page, live, `${role} live at ${width}`);
        expect((await page.locator('.room-candidate').boundingBox())?.width ?? 0, `${role} live at ${width}: the name is readable`).toBeGreaterThanOrEqual(100);
      }
      await shot(mentor, `ux-mentor-live-${width}.png`);
      await shot(candidate, `ux-candidate-live-${width}.png`);
      await shot(observer, `ux-observer-live-${width}.png`);
    }
    expect(await observer.locator('.run').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  }, 180_000);

  it('shows cursor names only while active, announces added time, keeps a run history', async () => {
    const { mentor, candidate, observer } = pages;
    for (const page of Object.values(pages)) await page.setViewportSize({ width: 1280, height: 800 });

    // ---- the candidate types: her name shows in the mentor's editor, then fades when idle ----
    await candidate.locator('.editor-host .view-lines').click();
    await candidate.keyboard.press('ControlOrMeta+Home');
    await candidate.keyboard.type('// hello\n');
    // The label shows for 2.5 s after the last keystroke: look for it first, before the slower
    // check of the rendered text can use up that window on a loaded machine.
    await poll(() => labelOpacity(mentor)).toBe('1');
    await poll(() => editorText(mentor)).toContain('// hello');
    await poll(() => labelOpacity(mentor), 8_000).toBe('0');
    await shot(mentor, 'ux-cursor-idle.png');
    // Hovering the caret shows the name again.
    const head = await mentor.locator('.yRemoteSelectionHead').first().boundingBox();
    expect(head).not.toBeNull();
    await mentor.mouse.move((head?.x ?? 0) + 1, (head?.y ?? 0) + (head?.height ?? 0) / 2);
    await poll(() => labelOpacity(mentor)).toBe('1');
    await mentor.mouse.move(5, 400);
    // The observer moving around its read-only editor puts no cursor in anyone's editor.
    await observer.locator('.editor-host .view-lines').click({ position: { x: 60, y: 40 } });
    await observer.keyboard.press('ArrowDown');
    await mentor.waitForTimeout(800);
    expect(await mentor.locator('.yRemoteSelectionHead').count()).toBe(1); // the candidate's only
    expect(await candidate.locator('.yRemoteSelectionHead').count()).toBe(0); // the mentor never clicked

    // ---- added time is announced to everyone ----
    await mentor.click('.add-time');
    await poll(() => candidate.locator('.toasts').innerText()).toMatch(/The interviewer added 5 minutes: 3\d:\d\d left/);
    await poll(() => observer.locator('.toasts').innerText()).toContain('The interviewer added 5 minutes');
    await poll(() => mentor.locator('.toasts').innerText()).toContain('You added 5 minutes');
    await shot(candidate, 'ux-toast-added-time.png');

    // ---- completions from the exercise's header, and the shortcut sheet ----
    await candidate.locator('.editor-host .view-lines').click();
    await candidate.keyboard.press('ControlOrMeta+End');
    await candidate.keyboard.type('\nring_pu');
    await candidate.keyboard.press('Control+Space');
    await poll(() => candidate.locator('.suggest-widget').innerText()).toContain('ring_push_overwrite');
    await shot(candidate, 'ux-completions.png');
    await candidate.keyboard.press('Escape');
    await candidate.keyboard.press('ControlOrMeta+Z'); // takes the half-typed name back out
    await candidate.locator('.results-title').click();
    await candidate.keyboard.press('?');
    await poll(() => candidate.locator('dialog.shortcuts').isVisible()).toBe(true);
    expect(await candidate.locator('dialog.shortcuts').innerText()).toContain('Run the tests');
    await shot(candidate, 'ux-shortcuts.png');
    await candidate.keyboard.press('Escape');
    await poll(() => candidate.locator('dialog.shortcuts').isVisible()).toBe(false);

    // ---- two runs of code that prints to stderr: numbered history, stderr shown per case ----
    const chatty = WRONG.replace('#include "ring.h"', '#include <stdio.h>\n#include "ring.h"').replace(
      /(ring_new\([^)]*\)\s*\{)/,
      '$1\n    fprintf(stderr, "debug: ring_new\\n");',
    );
    expect(chatty).toContain('fprintf(stderr');
    await pasteAll(candidate, chatty);
    await poll(() => editorText(mentor)).toContain('#include <stdio.h>');
    for (const n of [1, 2]) {
      await poll(() => candidate.locator('.run').isDisabled()).toBe(false);
      await candidate.click('.run');
      await poll(() => candidate.locator('.history-entry').count(), 60_000).toBe(n);
    }
    const entries = await mentor.locator('.history-entry').allInnerTexts();
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatch(/#2\s+\d\d:\d\d/);
    expect(entries[1]).toMatch(/#1\s+\d\d:\d\d/);
    expect(entries[0]).toContain(LONG_NAME.slice(0, 20));
    expect(await candidate.locator('.history-entry').first().innerText()).toContain('you');
    await poll(() => mentor.locator('.results-by').innerText()).toMatch(/^Run #2 by .+, \d\d:\d\d into the session$/);
    // Picking #1 shows its results.
    await mentor.locator('.history-entry').nth(1).click();
    await poll(() => mentor.locator('.results-by').innerText()).toMatch(/^Run #1 /);
    expect(await mentor.locator('.history-entry[aria-pressed=true] .history-label').innerText()).toBe('#1');
    // stderr is shown for passing and failing visible cases, labelled as not compared.
    const stderrBlocks = await candidate.locator('.case-detail pre.stderr').allInnerTexts();
    expect(stderrBlocks.length).toBeGreaterThan(0);
    for (const text of stderrBlocks) expect(text).toContain('debug: ring_new');
    expect(await candidate.locator('.case-pass pre.stderr, details.case:has(.case-pass) pre.stderr').count()).toBeGreaterThan(0);
    expect(await candidate.locator('.stderr-hint').innerText()).toContain('never compared');
    await candidate.locator('.diff-legend').first().scrollIntoViewIfNeeded();
    expect(await candidate.locator('.diff-legend').first().innerText()).toMatch(/- expected\s+\+ your output/);
    await shot(mentor, 'ux-run-history-mentor.png');
    await shot(candidate, 'ux-stderr-candidate.png');

    // ---- the same run drawn again (time added) keeps the case the reader folded away ----
    const firstFailing = candidate.locator('details.case:has(.case-fail)').first();
    await firstFailing.locator('summary').click();
    expect(await firstFailing.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);
    await firstFailing.evaluate((el) => ((el as HTMLElement & { drawnBefore?: boolean }).drawnBefore = true));
    await mentor.click('.add-time');
    await poll(() => firstFailing.evaluate((el) => (el as HTMLElement & { drawnBefore?: boolean }).drawnBefore === true)).toBe(false);
    expect(await firstFailing.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false);

    // ---- the panes resize and keep their size after a reload ----
    const before = (await candidate.locator('.results').boundingBox())?.height ?? 0;
    const gutter = await candidate.locator('.gutter-vertical').boundingBox();
    expect(gutter).not.toBeNull();
    const gy = (gutter?.y ?? 0) + (gutter?.height ?? 0) / 2;
    await candidate.mouse.move((gutter?.x ?? 0) + 200, gy);
    await candidate.mouse.down();
    await candidate.mouse.move((gutter?.x ?? 0) + 200, gy - 150, { steps: 8 });
    await candidate.mouse.up();
    const after = (await candidate.locator('.results').boundingBox())?.height ?? 0;
    expect(after).toBeGreaterThan(before + 100);
    await candidate.reload();
    await poll(() => candidate.locator('.history-entry').count()).toBe(2);
    expect(Math.abs(((await candidate.locator('.results').boundingBox())?.height ?? 0) - after)).toBeLessThan(4);

    // ---- the network goes: noticed within 5 s, Run disabled, edits pending, then saved ----
    await poll(() => candidate.locator('.run').isDisabled()).toBe(false);
    const candidateContext = candidate.context();
    await candidate.locator('.editor-host .view-lines').click();
    await candidate.keyboard.press('ControlOrMeta+Home');
    await candidateContext.setOffline(true);
    const cutAt = Date.now();
    await poll(() => candidate.locator('.connection').innerText(), 5_000).toContain('Connection lost');
    expect(Date.now() - cutAt).toBeLessThan(5_000);
    expect(await candidate.locator('.run').isDisabled()).toBe(true);
    await candidate.keyboard.type('// typed offline\n');
    await poll(() => candidate.locator('.save-state').innerText()).toMatch(/not saved yet/);
    await shot(candidate, 'ux-offline.png');
    await candidateContext.setOffline(false);
    await poll(() => candidate.locator('.connection').innerText(), 30_000).toContain('Back online');
    await poll(() => candidate.locator('.save-state').innerText()).toContain('Saved');
    await poll(() => editorText(mentor)).toContain('// typed offline');
    await poll(() => candidate.locator('.run').isDisabled()).toBe(false);

    // ---- the mentor ends early: the final grading says so ----
    mentor.once('dialog', (d) => void d.accept());
    await mentor.click('.end-now');
    for (const page of [mentor, candidate]) {
      await poll(() => page.locator('.history-entry').first().innerText(), 60_000).toContain('ended early by the interviewer');
      await poll(() => page.locator('.results-by').innerText()).toMatch(/^Final grading of every test, ended early by the interviewer/);
      await poll(() => page.locator('.banner').innerText()).toContain('The interview ended early');
    }
    await shot(mentor, 'ux-ended-mentor.png');
    expect(errors).toEqual([]);
  }, 300_000);
});
