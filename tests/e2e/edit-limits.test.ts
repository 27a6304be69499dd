// No keystroke is lost, in Chromium: a paste past the source limit is refused in the browser with
// a message and typing goes on and is saved; an edit the server refuses anyway brings the editor
// back to the server's copy with the refused text kept to copy; the size counter appears near
// the limit; and Ctrl+Enter and Ctrl+Z act on the focused file once the Console has been opened.
import path from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { SCRATCH_TEXT } from '../../common/console.ts';
import { DOC_TEXT, type SessionSummary } from '../../common/protocol.ts';
import { SOURCE_BYTES } from '../../common/source-limit.ts';
import { materializeInto } from '../../server/src/history/index.ts';
import { storedDoc } from '../../server/src/history/stored.ts';
import { fail } from '../../server/src/sessions/errors.ts';
import { createSession, ARTIFACTS, SKIP_BROWSER_TESTS, poll, startHarness, trackedPage, type Harness } from './harness.ts';

/** Visible text of an editor (Monaco renders spaces as no-break spaces). */
async function textOf(page: Page, host: string): Promise<string> {
  return (await page.locator(`${host} .view-lines`).innerText()).replace(/\u00a0/g, ' ');
}

/** The end of an editor's text (Monaco renders only the lines in view): moves there each time. */
async function endOf(page: Page, host: string): Promise<string> {
  await page.locator(`${host} .view-lines`).click();
  await page.keyboard.press('ControlOrMeta+End');
  return textOf(page, host);
}

/** A paste of `text` at the end of an editor, as the browser delivers Ctrl+V. */
async function pasteAtEnd(page: Page, host: string, text: string): Promise<void> {
  await page.locator(`${host} .view-lines`).click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.evaluate((t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** `bytes` of C comments, one marker line first. */
function filler(marker: string, bytes: number): string {
  const head = `\n/* ${marker} */\n`;
  const line = '/* ........................................................... */\n'; // 64 bytes
  return head + line.repeat(Math.ceil((bytes - head.length) / line.length)).slice(0, bytes - head.length);
}

describe.skipIf(SKIP_BROWSER_TESTS)('edits and the source limit in Chromium', () => {
  let h: Harness;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name) });
  const link = (p: string) => new URL(p, h.baseUrl).href;

  /** The document as the server stored it. */
  async function stored(sessionId: string): Promise<{ code: string; scratch: string }> {
    const { snapshot, updates } = await storedDoc(h.store, sessionId);
    const doc = new Y.Doc();
    materializeInto(doc, snapshot, updates);
    return { code: doc.getText(DOC_TEXT).toString(), scratch: doc.getText(SCRATCH_TEXT).toString() };
  }

  /** A started interview with the mentor's and the candidate's rooms open, the candidate's editable. */
  async function liveRoom(): Promise<{ session: SessionSummary; mentor: Page; candidate: Page }> {
    const session = await createSession(h, { candidateName: 'Grace Hopper' });
    const mentor = await trackedPage(h.browser, contexts, errors, 'mentor');
    await mentor.goto(link(session.links.mentor));
    await mentor.locator('.start-timer').click();
    const candidate = await trackedPage(h.browser, contexts, errors, 'candidate');
    await candidate.goto(link(session.links.candidate));
    await poll(() => candidate.locator('.editor-host.readonly').count()).toBe(0);
    return { session, mentor, candidate };
  }

  beforeAll(async () => {
    h = await startHarness();
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  it('shows the size near the limit, refuses a paste past it with a message, and saves the typing after it', async () => {
    const { session, mentor, candidate } = await liveRoom();
    const counter = candidate.getByRole('status', { name: /^Source size/ });
    expect(await counter.count()).toBe(0); // well under the limit: nothing to see

    // 50,000 bytes more: past three quarters of 64 KiB, the counter appears.
    await pasteAtEnd(candidate, '.editor-host', filler('first block', 50_000));
    await poll(() => counter.isVisible()).toBe(true);
    await poll(async () => (await stored(session.id)).code).toContain('first block');
    const saved = await stored(session.id);
    const size = new TextEncoder().encode(saved.code + saved.scratch).length;
    expect(size).toBeGreaterThan(0.75 * SOURCE_BYTES);
    expect(await counter.innerText()).toBe(`${(size / 1024).toFixed(1)} / 64 KiB`);
    expect(await counter.getAttribute('aria-label')).toMatch(/of 64 KiB used by solution\.c and scratch\.c together/);

    // 250 KB: refused in the browser, with the limit and the size it would have made.
    const big = filler('too big', 250_000);
    await pasteAtEnd(candidate, '.editor-host', big);
    const message = candidate.getByText(/^Paste refused: solution\.c and scratch\.c together may hold 64 KiB \(65,536 bytes\); this would make them \d+\.\d KiB/);
    await poll(() => message.isVisible()).toBe(true);
    await shot(candidate, 'limits-paste-refused.png');
    expect(await textOf(candidate, '.editor-host')).not.toContain('too big');

    // Typing goes on and is saved: stored on the server, shown to the mentor, kept on reload.
    await candidate.keyboard.type('\n// typed after the refused paste');
    await poll(() => candidate.locator('.save-state').innerText()).toBe('✓ Saved');
    await poll(async () => (await stored(session.id)).code).toContain('// typed after the refused paste');
    expect((await stored(session.id)).code).not.toContain('too big');
    expect(new TextEncoder().encode((await stored(session.id)).code).length).toBeLessThanOrEqual(SOURCE_BYTES);
    await poll(() => endOf(mentor, '.editor-host')).toContain('// typed after the refused paste');
    await candidate.reload();
    await poll(() => candidate.locator('.editor-host.readonly').count()).toBe(0);
    await poll(() => endOf(candidate, '.editor-host')).toContain('// typed after the refused paste');
    expect(errors).toEqual([]);
  }, 180_000);

  it('returns to the server copy when the server refuses an edit, keeps the refused text to copy, and saves what follows', async () => {
    const { session, mentor, candidate } = await liveRoom();
    await candidate.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.baseUrl });
    // The server refuses what the browser cannot foresee (e.g. a session's 16 MiB of stored
    // edits): here, the next update of over 2,000 bytes from anyone.
    const service = h.app.sessions;
    const write = service.write.bind(service);
    let refuse = true;
    service.write = (who, connId, update) => {
      if (refuse && update.byteLength > 2_000) {
        refuse = false;
        return Promise.resolve(fail('too_large', 'This session has stored 16 MiB of edits, the most a session may hold.'));
      }
      return write(who, connId, update);
    };
    try {
      // The mentor's cursor is in the candidate's editor: after the refusal it is there once, not twice.
      await mentor.locator('.editor-host .view-lines').click();
      await poll(() => candidate.locator('.editor-host .yRemoteSelectionHead').count()).toBe(1);
      await pasteAtEnd(candidate, '.editor-host', filler('refused by the server', 5_000));
      const dialog = candidate.getByRole('dialog', { name: 'Your last edits were not saved' });
      await poll(() => dialog.isVisible()).toBe(true);
      expect(await dialog.innerText()).toContain('The server refused an edit: This session has stored 16 MiB of edits');
      const mine = dialog.getByLabel('Your unsaved version of solution.c');
      expect(await mine.inputValue()).toContain('/* refused by the server */');
      expect(await mine.getAttribute('readonly')).not.toBeNull();
      expect(await dialog.getByLabel('Your unsaved version of scratch.c').count()).toBe(0); // unchanged: not offered
      await shot(candidate, 'limits-server-refused.png');
      await dialog.getByRole('button', { name: 'Copy your version of solution.c' }).click();
      expect(await candidate.evaluate(() => navigator.clipboard.readText())).toContain('/* refused by the server */');
      // The editor shows the server's copy again, and says the edit was refused, not saved.
      expect(await textOf(candidate, '.editor-host')).not.toContain('refused by the server');
      expect(await candidate.locator('.save-state').innerText()).toBe('Last edit refused: showing the saved copy');
      await dialog.getByRole('button', { name: 'Close and go on editing' }).click();
      await poll(() => dialog.count()).toBe(0);
      await candidate.locator('.editor-host .view-lines').click();
      await candidate.keyboard.press('ControlOrMeta+Home');
      await poll(() => candidate.locator('.editor-host .yRemoteSelectionHead').count()).toBe(1);

      // Typing after it is accepted (nothing depends on the refused edit any more) and saved.
      await candidate.locator('.editor-host .view-lines').click();
      await candidate.keyboard.press('ControlOrMeta+End');
      await candidate.keyboard.type('\n// typed after the refusal');
      await poll(() => candidate.locator('.save-state').innerText()).toBe('✓ Saved');
      await poll(async () => (await stored(session.id)).code).toContain('// typed after the refusal');
      expect((await stored(session.id)).code).not.toContain('refused by the server');
      await poll(() => endOf(mentor, '.editor-host')).toContain('// typed after the refusal');
      expect(await candidate.locator('.toast-error').count()).toBe(0); // no wall of "depends on earlier edits"
      await candidate.reload();
      await poll(() => candidate.locator('.editor-host.readonly').count()).toBe(0);
      await poll(() => endOf(candidate, '.editor-host')).toContain('// typed after the refusal');
    } finally {
      service.write = write;
    }
    expect(errors).toEqual([]);
  }, 180_000);

  it('runs and undoes in the focused file once the Console has been opened', async () => {
    const { session, candidate } = await liveRoom();
    await candidate.locator('.console-tab').click();
    await poll(() => textOf(candidate, '.console-editor')).toContain('#include');
    await candidate.locator('.console-editor .view-lines').click();
    await candidate.keyboard.press('ControlOrMeta+End');
    await candidate.keyboard.type('\n// scratch edit');
    await candidate.getByRole('tab', { name: 'solution.c' }).click();
    await candidate.locator('.editor-host .view-lines').click();
    await candidate.keyboard.press('ControlOrMeta+End');
    await candidate.keyboard.type('\n// solution edit');
    await poll(async () => (await stored(session.id)).code).toContain('// solution edit');
    expect((await stored(session.id)).scratch).toContain('// scratch edit');

    // Ctrl+Z in solution.c undoes solution.c's edit, not scratch.c's.
    await candidate.keyboard.press('ControlOrMeta+Z');
    await poll(async () => (await stored(session.id)).code).not.toContain('// solution edit');
    expect((await stored(session.id)).scratch).toContain('// scratch edit');
    // Ctrl+Enter in solution.c runs the tests; the console stays as it was.
    await candidate.keyboard.press('ControlOrMeta+Enter');
    await poll(() => candidate.locator('.history-entry').count(), 90_000).toBe(1);
    expect(await candidate.locator('.console-headline').count()).toBe(0);

    // In scratch.c: Ctrl+Z undoes scratch.c's edit only, Ctrl+Enter runs main().
    await candidate.getByRole('tab', { name: /^Console/ }).click();
    await candidate.locator('.console-editor .view-lines').click();
    await candidate.keyboard.press('ControlOrMeta+Z');
    await poll(async () => (await stored(session.id)).scratch).not.toContain('// scratch edit');
    await candidate.keyboard.press('ControlOrMeta+Shift+Z'); // and redo brings it back
    await poll(async () => (await stored(session.id)).scratch).toContain('// scratch edit');
    expect((await stored(session.id)).code).not.toContain('// solution edit');
    await candidate.keyboard.press('ControlOrMeta+Enter');
    await poll(() => candidate.locator('.console-headline').count(), 90_000).toBe(1);
    expect(await candidate.locator('.history-entry').count()).toBe(1); // no second test run
    await shot(candidate, 'limits-shortcuts-console.png');
    expect(errors).toEqual([]);
  }, 240_000);
});
