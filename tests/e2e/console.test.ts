// The scratch console in Chromium: the candidate writes a main() in the Console tab, types stdin
// and runs it; the output shows in both rooms, a crash is placed in scratch.c, observers watch
// without a Run button, and the replay's timeline lists the runs.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { createSession, ARTIFACTS, SKIP_BROWSER_TESTS, poll, startHarness, trackedPage, type Harness } from './harness.ts';
import { RING_MAIN } from '../support/scratch-programs.ts';

const SOLUTION = fs.readFileSync(new URL('../../exercises/ring-buffer/solution.c', import.meta.url), 'utf8');

const CRASH_MAIN = `#include <stdio.h>

int main(void) {
    int d = 1;
    scanf("%d", &d);
    return 100 / d;
}
`;

/** Visible text of an editor (Monaco renders spaces as no-break spaces). */
async function textOf(page: Page, host: string): Promise<string> {
  return (await page.locator(`${host} .view-lines`).innerText()).replace(/\u00a0/g, ' ');
}

/** Replaces a whole editor's text the way a paste does (one edit, no auto-closing brackets). */
async function pasteInto(page: Page, host: string, text: string): Promise<void> {
  await page.locator(`${host} .view-lines`).click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

describe.skipIf(SKIP_BROWSER_TESTS)('scratch console in Chromium', () => {
  let h: Harness;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name) });

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  it('runs a main() with typed stdin and shows the output in both rooms', async () => {
    const session = await createSession(h, { candidateName: 'Ada Lovelace' });
    const link = (p: string) => new URL(p, h.baseUrl).href;

    const mentor = await trackedPage(h.browser, contexts, errors, 'mentor');
    await mentor.goto(`${link(session.links.mentor)}`);
    await mentor.locator('.start-timer').click();
    const candidate = await trackedPage(h.browser, contexts, errors, 'candidate');
    await candidate.goto(link(session.links.candidate));
    await poll(() => candidate.locator('.editor-host.readonly').count()).toBe(0);

    // The solution, in solution.c as usual.
    await pasteInto(candidate, '.editor-host', SOLUTION);
    await poll(() => textOf(mentor, '.editor-host')).toContain('struct ring');

    // The Console tab: the shared scratch file starts with a main() that uses the public header.
    await candidate.locator('.console-tab').click();
    await poll(() => textOf(candidate, '.console-editor')).toContain('#include "ring.h"');
    expect(await candidate.locator('.editor-host').isHidden()).toBe(true);
    await pasteInto(candidate, '.console-editor', RING_MAIN);
    await mentor.locator('.console-tab').click();
    await poll(() => textOf(mentor, '.console-editor')).toContain('ring_push_overwrite(r, v)');

    await candidate.locator('.console-stdin').fill('1 2 3 4\n');
    await candidate.locator('.console-run').click();
    for (const page of [candidate, mentor]) {
      await poll(() => page.locator('.console-headline').innerText(), 60_000).toBe('Exited with status 7');
      expect(await page.locator('.console-stdout pre').textContent()).toBe('2 3 4 \n');
      expect(await page.locator('.console-stderr pre').textContent()).toBe('left: 0\n');
    }
    expect(await candidate.locator('.console-by').innerText()).toMatch(/^run by you at/);
    expect(await mentor.locator('.console-by').innerText()).toMatch(/^run by Ada Lovelace at/);
    await shot(candidate, 'console-candidate.png');
    await shot(mentor, 'console-mentor.png');

    // A crash in main(): explained, placed in scratch.c, marked in its editor (the mentor runs it this time).
    await pasteInto(candidate, '.console-editor', CRASH_MAIN);
    await poll(() => textOf(mentor, '.console-editor')).toContain('100 / d');
    await poll(() => mentor.locator('.console-run').isDisabled()).toBe(false);
    await mentor.locator('.console-stdin').fill('0');
    await mentor.locator('.console-stdin').press('ControlOrMeta+Enter');
    for (const page of [candidate, mentor]) {
      await poll(() => page.locator('.console-headline').innerText(), 60_000).toBe('Crashed');
      await poll(() => page.locator('.console-output .problem').first().innerText()).toMatch(/scratch\.c:6\s+Integer division by zero/);
      await poll(() => page.locator('.console-editor .squiggly-error').count()).toBeGreaterThan(0);
    }
    expect(await candidate.locator('.console-by').innerText()).toMatch(/^run by Mentor at/);
    await shot(candidate, 'console-crash-candidate.png');

    // An observer sees the console and its output but cannot run it or type stdin.
    const observer = await trackedPage(h.browser, contexts, errors, 'observer');
    await observer.goto(link(session.links.observer));
    await observer.locator('.console-tab').click();
    await poll(() => textOf(observer, '.console-editor')).toContain('100 / d');
    expect(await observer.locator('.console-run').isHidden()).toBe(true);
    expect(await observer.locator('.console-stdin').getAttribute('readonly')).not.toBeNull();
    // Joining after the run, it still sees that run's output, explained and marked in scratch.c.
    await poll(() => observer.locator('.console-headline').innerText()).toBe('Crashed');
    expect(await observer.locator('.console-by').innerText()).toMatch(/^run by Mentor at/);
    await poll(() => observer.locator('.console-output .problem').first().innerText()).toMatch(/scratch\.c:6\s+Integer division by zero/);
    await poll(() => observer.locator('.console-editor .squiggly-error').count()).toBeGreaterThan(0);

    // The replay lists both console runs on its timeline.
    mentor.once('dialog', (d) => void d.accept());
    await mentor.locator('.end-now').click();
    await poll(() => mentor.locator('.banner').innerText()).toContain('The interview ended');
    const replay = await trackedPage(h.browser, contexts, errors, 'replay');
    await replay.goto(link(session.links.review));
    await replay.locator('.scrub-track').waitFor();
    await replay.evaluate(() => (window as unknown as { replaySeek(ms: number): void }).replaySeek(1e9));
    await poll(() => replay.locator('.moment-console').count()).toBe(2);
    expect(await replay.locator('.moment-console').nth(1).innerText()).toMatch(/Ada Lovelace ran the console: exit 7/);
    expect(await replay.locator('.moment-console').nth(0).innerText()).toMatch(/Mentor ran the console: crashed: Integer division by zero.* \(scratch\.c, line 6, in main\)$/);
    await replay.locator('.moment-console').nth(1).locator('summary').click();
    await poll(() => replay.locator('.moment-console').nth(1).locator('.console-record-stdout pre').textContent()).toBe('2 3 4 \n');
    expect(await replay.locator('.marker-console').count()).toBeGreaterThanOrEqual(2);
    // The scratch file as it stood, beside the solution.
    await replay.locator('.replay-scratch-tab').click();
    await poll(() => textOf(replay, '.replay-editor')).toContain('return 100 / d;');
    await shot(replay, 'console-replay.png');
    const replayed = () => replay.evaluate(() => (window as unknown as { replayState(): { text: string; scratch: string } }).replayState());
    expect(await replayed()).toMatchObject({ scratch: CRASH_MAIN, text: SOLUTION });
    await replay.evaluate(() => (window as unknown as { replaySeek(ms: number): void }).replaySeek(0));
    await poll(() => textOf(replay, '.replay-editor')).toContain('Scratch file'); // the starter scratch file
    expect((await replayed()).scratch).toContain('#include "ring.h"');

    expect(errors).toEqual([]);
  }, 240_000);
});
