// The live interview, end to end in Chromium: a mentor creates a session in the dashboard, the
// candidate joins, both edit the same file with named cursors, runs show in both rooms (hidden
// cases only for the mentor), and ending the session locks both editors.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { ARTIFACTS, MENTOR_KEY, SKIP_BROWSER_TESTS, editorText, poll, startHarness, trackedPage, type Harness } from './harness.ts';

const WRONG_SOLUTION = fs.readFileSync(new URL('../../exercises/ring-buffer/wrong/full_wastes_slot.c', import.meta.url), 'utf8');

async function waitForEditorText(page: Page, predicate: (text: string) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last = '';
  while (Date.now() < deadline) {
    last = await editorText(page);
    if (predicate(last)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`editor never showed ${what}; last text:\n${last}`);
}

/** Replaces the whole file the way a paste does (a single edit, no auto-closing brackets). */
async function pasteAll(page: Page, text: string): Promise<void> {
  await page.locator('.editor-host .view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** Lets the test cut a page's connection to the server (HTTP long-polling and WebSocket). */
async function cuttableNetwork(page: Page): Promise<{ cut(): void; restore(): void }> {
  let offline = false;
  const sockets = new Set<WebSocketRoute>();
  await page.route('**/socket.io/**', (route) => (offline ? route.abort('internetdisconnected') : route.continue()));
  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (offline) return ws.close();
    sockets.add(ws);
    ws.connectToServer(); // no handlers: frames pass through untouched
  });
  return {
    cut() {
      offline = true;
      for (const ws of sockets) void ws.close();
      sockets.clear();
    },
    restore() {
      offline = false;
    },
  };
}

/** A session link as the dashboard API returns it (the mentor page holds the key). */
async function dashboardLink(mentor: Page, baseUrl: string, role: 'candidate' | 'observer'): Promise<string> {
  const sessions = await mentor.evaluate(async () => {
    const res = await fetch('/api/sessions', { headers: { Authorization: `Bearer ${localStorage.getItem('ci.mentorKey') ?? ''}` } });
    return (await res.json()) as Array<{ links: Record<string, string> }>;
  });
  const link = sessions[0]?.links[role];
  if (!link) throw new Error(`no ${role} link`);
  return new URL(link, baseUrl).href;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

describe.skipIf(SKIP_BROWSER_TESTS)('live interview in Chromium', () => {
  let h: Harness;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  // The simulated outage makes Chromium log its aborted requests; anything else is a bug.
  const newPage = (label: string) => trackedPage(h.browser, contexts, errors, label, { expectedConsoleError: (text) => text.includes('ERR_INTERNET_DISCONNECTED') });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    h = await startHarness();
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  it('runs a whole interview between a mentor and a candidate', async () => {
    // ---- the mentor signs in with the fragment link and creates a session ----
    const mentor = await newPage('mentor');
    await mentor.goto(`${h.baseUrl}/`);
    await mentor.locator('a:has-text("Interviewer sign-in")').click();
    await mentor.locator('form.card input[type=password]').waitFor(); // no key yet: the sign-in card
    await shot(mentor, 'sign-in.png');
    await mentor.goto(`${h.baseUrl}/mentor#key=${MENTOR_KEY}`);
    await mentor.locator('form.create').waitFor();
    expect(mentor.url()).not.toContain('#key'); // the key left the address bar
    await mentor.fill('input[name=candidate]', 'Ada Lovelace');
    await mentor.fill('input[name=you]', 'Grace Hopper');
    await mentor.click('form.create button[type=submit]');
    await mentor.locator('.ready').waitFor();
    await poll(() => mentor.locator('.session-row').count()).toBe(1);
    const candidateLink = await mentor.locator('.ready input[aria-label=Candidate]').inputValue();
    expect(candidateLink).toMatch(/\/s\/[^/]+$/);
    await shot(mentor, 'dashboard.png');

    await mentor.click('.ready a:has-text("Open room")');
    await mentor.locator('.monaco-editor').waitFor();
    await poll(() => mentor.locator('.banner').innerText()).toContain('Waiting to start');
    await poll(() => mentor.locator('.timer').innerText()).toBe('30:00');

    // ---- the candidate joins: the pad is visible but locked until the timer starts ----
    const candidate = await newPage('candidate');
    const candidateNet = await cuttableNetwork(candidate);
    // Her laptop's clock is three hours fast: the timer must not care.
    await candidate.clock.setSystemTime(Date.now() + 3 * 3_600_000);
    await candidate.goto(candidateLink);
    await poll(() => candidate.locator('.banner').innerText()).toContain('Your interviewer will start the 30-minute timer');
    await waitForEditorText(candidate, (t) => t.includes('ring_new'), 'the starter code');
    await poll(() => candidate.locator('.statement-title').innerText()).toBe('Ring buffer');
    await candidate.locator('.editor-host .view-lines').click();
    await candidate.keyboard.type('zzq');
    await candidate.waitForTimeout(300);
    expect(await editorText(candidate)).not.toContain('zzq');
    await shot(candidate, 'candidate-waiting.png');
    // Before the start the policy lets the interviewer (not the candidate) edit and run the tests:
    // both rooms show what the server allows.
    expect(await candidate.locator('.run').isDisabled()).toBe(true);
    await poll(() => mentor.locator('.run').isDisabled()).toBe(false);
    expect(await mentor.locator('.editor-host.readonly').count()).toBe(0);

    // ---- the mentor starts the timer ----
    await mentor.click('.start-timer');
    expect(await candidate.evaluate(() => Date.now() - 2 * 3_600_000)).toBeGreaterThan(Date.now()); // the skew is real
    for (const page of [mentor, candidate]) {
      await poll(() => page.locator('.timer').innerText()).toMatch(/^(30:00|29:[0-5]\d)$/);
      await poll(() => page.locator('.banner').isHidden()).toBe(true);
    }
    await poll(() => candidate.locator('.editor-host.readonly').count()).toBe(0);

    // ---- the candidate types; the mentor sees the text and a cursor labelled with her name ----
    await candidate.locator('.editor-host .view-lines').click();
    await candidate.keyboard.press('ControlOrMeta+Home');
    await candidate.keyboard.type('// Ada was here');
    await candidate.keyboard.press('Enter');
    await waitForEditorText(mentor, (t) => t.includes('// Ada was here'), "the candidate's line");
    const head = mentor.locator('.yRemoteSelectionHead').first();
    await head.waitFor({ state: 'attached' });
    await poll(() => head.evaluate((el) => getComputedStyle(el, '::after').content)).toBe('"Ada Lovelace"');
    await poll(() => mentor.locator('.presence').innerText()).toContain('Ada Lovelace');
    await poll(() => candidate.locator('.presence').innerText()).toContain('Grace Hopper');

    // ---- undo is local: the candidate's Ctrl+Z never removes the mentor's edit ----
    await mentor.locator('.editor-host .view-lines').click();
    await mentor.keyboard.press('ControlOrMeta+Home');
    await mentor.keyboard.press('ArrowDown');
    await mentor.keyboard.press('Home');
    await mentor.keyboard.type('// reviewed by Grace');
    await mentor.keyboard.press('Enter');
    await waitForEditorText(candidate, (t) => t.includes('// reviewed by Grace'), "the mentor's line");
    await candidate.locator('.editor-host .view-lines').click();
    await candidate.keyboard.press('ControlOrMeta+Z');
    await waitForEditorText(candidate, (t) => !t.includes('Ada was here') && t.includes('reviewed by Grace'), 'the undo of only her own edit');
    await candidate.keyboard.press('ControlOrMeta+Shift+Z');
    await waitForEditorText(mentor, (t) => t.includes('Ada was here') && t.includes('reviewed by Grace'), 'the redo');
    await shot(mentor, 'room-mentor-cursor.png');

    // ---- an outage: the candidate keeps typing, and her edits arrive when she is back ----
    candidateNet.cut();
    await poll(() => candidate.locator('.connection').innerText()).toContain('Connection lost');
    await candidate.waitForTimeout(600); // past a few timer ticks: the editor must stay editable
    expect(await candidate.locator('.editor-host.readonly').count()).toBe(0);
    await candidate.keyboard.press('ControlOrMeta+Home');
    await candidate.keyboard.type('// typed offline');
    await candidate.keyboard.press('Enter');
    await mentor.waitForTimeout(1000);
    expect(await editorText(mentor)).not.toContain('typed offline');
    await shot(candidate, 'candidate-offline.png');
    candidateNet.restore();
    await poll(() => candidate.locator('.connection').innerText()).toContain('Back online');
    await waitForEditorText(mentor, (t) => t.includes('// typed offline') && t.includes('Ada was here'), 'the offline edit after reconnection');

    // ---- a compile error becomes an editor marker in both rooms ----
    await pasteAll(candidate, `int broken = undeclared_name;\n${WRONG_SOLUTION}`);
    await waitForEditorText(mentor, (t) => t.includes('undeclared_name'), 'the broken paste');
    await candidate.locator('.run').click();
    for (const page of [candidate, mentor]) {
      await poll(() => page.locator('.results-headline').innerText()).toBe('Compilation failed');
      // The problem list puts the editor on the line, where the marker is drawn.
      await page.locator('.problem-error').first().click();
      await poll(() => page.locator('.editor-host .squiggly-error').count()).toBeGreaterThan(0);
    }
    await shot(candidate, 'compile-error-candidate.png');
    await poll(() => candidate.locator('.run').isDisabled()).toBe(false);

    // ---- a run of a wrong solution: results in both rooms, hidden cases only for the mentor ----
    await pasteAll(candidate, WRONG_SOLUTION);
    // Monaco applies a paste asynchronously: wait until the broken line is gone, not just for a solution.
    await waitForEditorText(mentor, (t) => t.includes('struct ring') && !t.includes('undeclared_name'), 'the pasted solution');
    await candidate.keyboard.press('ControlOrMeta+Enter');
    await poll(() => candidate.locator('.run').isDisabled()).toBe(true);
    for (const page of [candidate, mentor]) {
      await poll(() => page.locator('.results-headline').innerText()).toMatch(/\d+ \/ \d+ tests passed/);
    }
    await poll(() => mentor.locator('.editor-host .squiggly-error').count()).toBe(0); // markers follow the latest run
    expect(await mentor.locator('.tag-hidden').count()).toBeGreaterThan(0);
    await mentor.locator('.tag-hidden').first().scrollIntoViewIfNeeded();
    await mentor.locator('.results').screenshot({ path: path.join(ARTIFACTS, 'results-mentor.png') });
    expect(await candidate.locator('.tag-hidden').count()).toBe(0);
    await poll(() => candidate.locator('.hidden-note').innerText()).toMatch(/Hidden tests: \d+ of \d+ passed/);
    expect(await candidate.locator('.case-row').count()).toBeGreaterThan(0);
    await poll(() => candidate.locator('.run').isDisabled()).toBe(false);

    // ---- an observer watches: read-only, no run button, no hidden cases ----
    const observerLink = await dashboardLink(mentor, h.baseUrl, 'observer');
    const observer = await newPage('observer');
    await observer.goto(observerLink);
    await poll(() => observer.locator('.results-headline').innerText()).toMatch(/\d+ \/ \d+ tests passed/);
    expect(await observer.locator('.tag-hidden').count()).toBe(0);
    expect(await observer.locator('.run').isHidden()).toBe(true);
    await poll(() => observer.locator('.editor-host.readonly').count()).toBe(1);
    await poll(() => mentor.locator('.presence').innerText()).toContain('Observer');
    await observer.close();

    // ---- private notes: text, never HTML, and never in the candidate's page ----
    await mentor.click('.tab:has-text("Private notes")');
    await mentor.fill('.notes-input', 'Asked about <b>wrap-around</b> first');
    await mentor.click('.notes-add button');
    await poll(() => mentor.locator('.note p').last().innerText()).toBe('Asked about <b>wrap-around</b> first');
    expect(await mentor.locator('.note p b').count()).toBe(0);
    await mentor.click('.tab:has-text("Problem")');
    expect(await candidate.locator('.tab:has-text("Private notes")').count()).toBe(0);

    await shot(mentor, 'room-mentor.png');
    await shot(candidate, 'room-candidate.png');

    // ---- the mentor ends the interview: both rooms show the end and lock the editor ----
    mentor.once('dialog', (d) => void d.accept());
    await mentor.click('.end-now');
    for (const page of [mentor, candidate]) {
      await poll(() => page.locator('.banner').innerText()).toContain('The interview ended');
      // Ended early: the timer says when (the server's end time, whatever this laptop's clock), not "00:00".
      const endedAt = await mentor.evaluate(async () => {
        const res = await fetch('/api/sessions', { headers: { Authorization: `Bearer ${localStorage.getItem('ci.mentorKey') ?? ''}` } });
        return ((await res.json()) as Array<{ endedAt: number | null }>)[0]?.endedAt ?? null;
      });
      expect(endedAt).not.toBeNull();
      await poll(() => page.locator('.timer-label').innerText()).toMatch(/ended at/i);
      const expected = await page.evaluate((at) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }), endedAt!);
      expect(await page.locator('.timer').innerText()).toBe(expected);
      await poll(() => page.locator('.editor-host.readonly').count()).toBe(1);
    }
    await candidate.locator('.editor-host .view-lines').click();
    await candidate.keyboard.type('qqq');
    await candidate.waitForTimeout(300);
    expect(await editorText(candidate)).not.toContain('qqq');
    expect(await candidate.locator('.run').isDisabled()).toBe(true);
    await shot(mentor, 'ended-mentor.png');
    await shot(candidate, 'ended-candidate.png');
    for (const page of [mentor, candidate]) {
      // Nothing may push the layout sideways at 1280 px (Monaco once widened its grid column).
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    }

    expect(errors).toEqual([]);
  }, 240_000);
});
