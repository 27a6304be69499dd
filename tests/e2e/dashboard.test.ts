// The interviewer's dashboard in Chromium: inline validation with counters (names 80, notes
// 4,000), the ready card's four links with copy buttons, a table whose cells line up, search by
// candidate, and end, archive and delete with their confirmations. Screenshots in test-artifacts/.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ARTIFACTS, MENTOR_KEY, SKIP_BROWSER_TESTS, poll, startHarness, trackedPage, type Harness } from './harness.ts';

describe.skipIf(SKIP_BROWSER_TESTS)('the dashboard in Chromium', () => {
  let h: Harness;
  let page: Page;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  const shot = (p: Page, name: string) => p.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });
  const api = (method: string, route: string) => fetch(h.baseUrl + route, { method, headers: { authorization: `Bearer ${MENTOR_KEY}` } });
  const rows = () => page.locator('.session-row');
  const row = (name: string) => page.locator('.session-row', { has: page.locator('.candidate-name', { hasText: name }) });
  const create = async (name: string) => {
    await page.fill('input[name=candidate]', name);
    await page.click('form.create button[type=submit]');
    await poll(() => page.locator('.ready h2').innerText()).toBe(`Interview with ${name} is ready`);
  };

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    h = await startHarness();
    page = await trackedPage(h.browser, contexts, errors, 'mentor', {
      // A refused request (the inline-message checks below) is logged by Chromium as a console error.
      expectedConsoleError: (t) => /status of 400/.test(t),
    });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.baseUrl });
    await page.goto(`${h.baseUrl}/mentor#key=${MENTOR_KEY}`);
    await page.waitForSelector('form.create');
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  it('explains what is wrong with a name inline, with a counter, and never cuts it', async () => {
    const message = page.locator('form.create .field:has(input[name=candidate]) .field-error');
    const counter = page.locator('form.create .field:has(input[name=candidate]) .field-counter');
    expect(await counter.innerText()).toBe('0 / 80');
    await page.click('form.create button[type=submit]');
    await poll(() => message.innerText()).toBe('The candidate name is required.');
    await page.fill('input[name=candidate]', '    ');
    await page.click('form.create button[type=submit]');
    await poll(() => message.innerText()).toBe('The candidate name is required (only spaces were given).');

    const long = 'Ada '.repeat(20) + 'L'; // 81 characters
    await page.fill('input[name=candidate]', long);
    expect(await page.inputValue('input[name=candidate]')).toBe(long); // nothing cut
    await poll(() => counter.innerText()).toBe('81 / 80');
    expect(await counter.getAttribute('class')).toContain('over');
    expect(await message.innerText()).toBe('The candidate name must be at most 80 characters (it has 81).');
    expect(await page.getAttribute('input[name=candidate]', 'aria-invalid')).toBe('true');
    const you = page.locator('form.create .field:has(input[name=you]) .field-error');
    await page.fill('input[name=you]', 'x'.repeat(90));
    await poll(() => you.innerText()).toBe('Your name must be at most 80 characters (it has 90).');
    await shot(page, 'dashboard-validation.png');
    await page.click('form.create button[type=submit]');
    expect(await page.locator('.ready').count()).toBe(0); // nothing was sent
    expect(await rows().count()).toBe(0);

    await page.fill('input[name=you]', 'Interviewer Ines');
    await page.fill('input[name=candidate]', '🙂'.repeat(80)); // 80 characters, 160 UTF-16 units
    expect(await counter.innerText()).toBe('80 / 80');
    expect(await message.innerText()).toBe('');
    await page.click('form.create button[type=submit]');
    await poll(() => rows().count()).toBe(1);
    expect(await page.locator('.candidate-name').first().innerText()).toBe('🙂'.repeat(80));
  }, 60_000);

  it('the ready card shows the four links, each with a copy button', async () => {
    await create('Ada Lovelace');
    const labels = await page.locator('.ready .link-row .link-label').allInnerTexts();
    expect(labels).toEqual(['Interviewer', 'Candidate', 'Observer', 'Review']);
    const boxes = await page.locator('.ready .link-row .link-box').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    expect(boxes[0]).toMatch(/\/s\/[\w-]+$/);
    expect(boxes[3]).toMatch(/\/r\/[\w-]+$/);
    expect(new Set(boxes).size).toBe(4);
    for (let i = 0; i < 4; i++) {
      await page.locator('.ready .link-row').nth(i).locator('button', { hasText: 'Copy' }).click();
      await poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(boxes[i]);
    }
  }, 60_000);

  it('rows line up, pills stay on one line, and same-named candidates are told apart', async () => {
    await create('Ada Lovelace');
    await create('Grace Hopper');
    await poll(() => rows().count()).toBe(4);
    // A live interview too: its row has End but no Archive.
    const grace = (await (await api('GET', '/api/sessions?candidate=grace')).json()) as Array<{ links: { mentor: string } }>;
    // This room's session is deleted below: the transport's polling request that was open then
    // is answered 400 (its engine.io session is gone), which Chromium logs as a console error.
    const mentorRoom = await trackedPage(h.browser, contexts, errors, 'mentor room', { expectedConsoleError: (t) => /status of 400/.test(t) });
    await mentorRoom.goto(h.baseUrl + grace[0]!.links.mentor);
    await mentorRoom.click('.start-timer');
    await page.reload();
    await poll(() => row('Grace Hopper').locator('.status-live').count()).toBe(1);
    expect(await row('Grace Hopper').locator('.archive-session').count()).toBe(0);

    for (const r of await rows().all()) {
      const cells = await r.locator('td').evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect()).map((b) => ({ top: b.top, height: b.height })));
      expect(cells).toHaveLength(7); // pick, candidate, exercise, status, result, created, actions
      for (const c of cells) expect(c).toEqual(cells[0]); // every cell spans the whole row
      const pill = await r.locator('.status').first().boundingBox();
      expect(pill!.height).toBeLessThan(24); // one line
    }
    const headers = await page.locator('.sessions th').evaluateAll((ths) => ths.map((th) => th.getBoundingClientRect().left));
    const firstCells = await rows()
      .first()
      .locator('td')
      .evaluateAll((tds) => tds.map((td) => td.getBoundingClientRect().left));
    expect(firstCells).toEqual(headers); // columns under their headings
    const adas = await row('Ada Lovelace').locator('.candidate-detail').allInnerTexts();
    expect(adas).toHaveLength(2);
    expect(adas[0]).not.toBe(adas[1]);
    await shot(page, 'dashboard-list.png');

    await page.fill('.sessions-filters .search', 'GRACE');
    await poll(() => rows().count()).toBe(1);
    await page.fill('.sessions-filters .search', 'nobody here');
    await poll(() => page.locator('.sessions-card .empty').innerText()).toBe('No interview with a candidate matching "nobody here".');
    await page.fill('.sessions-filters .search', '');
    await poll(() => rows().count()).toBe(4);
  }, 120_000);

  it('opens the interviews picked in the list on the comparison board', async () => {
    const compare = page.getByRole('button', { name: /^Compare the/ });
    expect(await compare.isDisabled()).toBe(true); // nothing picked yet
    const picks = page.getByRole('checkbox', { name: /^Pick Ada Lovelace / });
    await picks.nth(0).check();
    await picks.nth(1).check();
    await poll(() => compare.innerText()).toBe('Compare the 2 picked');
    const ids = await row('Ada Lovelace').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset['id']));
    await compare.click();
    await page.waitForURL(/\/mentor\/board\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('sessions')!.split(',').sort()).toEqual([...ids].sort());
    await poll(() => page.locator('.board-rows tbody th[scope=row]').allInnerTexts()).toEqual(['Ada Lovelace', 'Ada Lovelace']);
    await page.goto(`${h.baseUrl}/mentor`);
    await poll(() => rows().count()).toBe(4);
  }, 60_000);

  it('ends an interview after confirmation; the room sees it end', async () => {
    const grace = row('Grace Hopper');
    await grace.locator('.end-session').click();
    await poll(() => page.locator('dialog.confirm[open]').count()).toBe(1);
    expect(await page.locator('dialog.confirm h2').innerText()).toBe('End the interview with Grace Hopper?');
    await shot(page, 'dashboard-confirm-end.png');
    await page.click('dialog.confirm button:has-text("Cancel")');
    await poll(() => page.locator('dialog.confirm').count()).toBe(0);
    expect(await grace.locator('.status-live').count()).toBe(1);

    await grace.locator('.end-session').click();
    await page.click('dialog.confirm .confirm-yes');
    await poll(() => grace.locator('.status-ended').count()).toBe(1);
    expect(await grace.locator('.end-session').count()).toBe(0);
    expect(await grace.locator('a', { hasText: 'Report' }).count()).toBe(1);
    const mentorRoom = contexts.at(-1)!.pages()[0]!;
    await poll(() => mentorRoom.locator('.editor-host.readonly').count()).toBe(1);
    // The final grading follows (deleting is refused until it is stored, see the delete test).
    await h.app.sessions.idle();
    await poll(() => mentorRoom.locator('.results-headline').count()).toBe(1);
  }, 60_000);

  it('archives and restores an interview', async () => {
    await row('Grace Hopper').locator('.archive-session').click();
    await poll(() => row('Grace Hopper').count()).toBe(0);
    await page.selectOption('.sessions-filters .which', 'true');
    await poll(() => rows().count()).toBe(1);
    expect(await row('Grace Hopper').locator('.status-archived').innerText()).toBe('Archived');
    await shot(page, 'dashboard-archived.png');
    await row('Grace Hopper').locator('.unarchive-session').click();
    await poll(() => rows().count()).toBe(0);
    await page.selectOption('.sessions-filters .which', 'false');
    await poll(() => row('Grace Hopper').count()).toBe(1);
  }, 60_000);

  it('deletes an interview after confirmation, and its links stop working', async () => {
    const target = row('Grace Hopper');
    const id = await target.getAttribute('data-id');
    await target.locator('.show-links').click();
    await poll(() => page.locator(`.ready[data-id="${id}"]`).count()).toBe(1);
    const candidateLink = await page.locator('.ready .link-row').nth(1).locator('.link-box').inputValue();

    await target.locator('.delete-session').click();
    expect(await page.locator('dialog.confirm h2').innerText()).toBe('Delete the interview with Grace Hopper?');
    expect(await page.locator('dialog.confirm p').innerText()).toMatch(/cannot be undone/);
    await shot(page, 'dashboard-confirm-delete.png');
    await page.keyboard.press('Escape'); // no
    await poll(() => page.locator('dialog.confirm').count()).toBe(0);
    expect(await row('Grace Hopper').count()).toBe(1);

    await target.locator('.delete-session').click();
    await page.click('dialog.confirm .confirm-yes');
    await poll(() => row('Grace Hopper').count()).toBe(0);
    expect(await page.locator('.ready').count()).toBe(0); // its links are no longer shown
    expect((await api('GET', `/api/sessions/${id}`)).status).toBe(404);
    // The interviewer's room that was open on it is closed and says why.
    const openRoom = contexts.find((c) => c.pages()[0]?.url().includes('/s/'))!.pages()[0]!;
    await poll(() => openRoom.locator('body').innerText()).toMatch(/not valid/i);
    const visitor = await trackedPage(h.browser, contexts, errors, 'old link', { expectedConsoleError: () => true });
    await visitor.goto(candidateLink);
    await poll(() => visitor.locator('body').innerText()).toMatch(/not valid/i);
    await shot(page, 'dashboard-after-delete.png');
  }, 60_000);

  it('notes: counter, inline message, and interview time beside the clock', async () => {
    const [ada] = (await (await api('GET', '/api/sessions?candidate=ada')).json()) as Array<{ links: { mentor: string } }>;
    const room = await trackedPage(h.browser, contexts, errors, 'notes');
    await room.goto(h.baseUrl + ada!.links.mentor);
    await room.click('.tab:has-text("Private notes")');
    await room.fill('.notes-input', 'Before the start');
    await room.click('.notes-add button');
    await poll(() => room.locator('.note').count()).toBe(1);
    expect(await room.locator('.note .note-interview-time').innerText()).toBe('before start');

    await room.click('.start-timer');
    await room.waitForTimeout(2_200);
    await room.click('.tab:has-text("Private notes")');
    const counter = room.locator('.notes-add .field-counter');
    expect(await counter.innerText()).toBe('0 / 4,000');
    await room.fill('.notes-input', 'n'.repeat(4_001));
    await poll(() => counter.innerText()).toBe('4,001 / 4,000');
    expect(await room.locator('.notes-add .field-error').innerText()).toBe('A note must be at most 4,000 characters (it has 4,001).');
    await room.click('.notes-add button');
    expect(await room.locator('.note').count()).toBe(1); // refused before sending
    await shot(room, 'notes-too-long.png');

    await room.fill('.notes-input', 'Asked about wrap-around');
    await room.click('.notes-add button');
    await poll(() => room.locator('.note').count()).toBe(2);
    const second = room.locator('.note').nth(1);
    expect(await second.locator('.note-interview-time').innerText()).toMatch(/^00:0[2-9]$/);
    expect(await second.locator('.note-clock').innerText()).toMatch(/\d{1,2}:\d{2}/);
    expect(await room.locator('.notes-add .field-counter').innerText()).toBe('0 / 4,000');
    await shot(room, 'notes-interview-time.png');
    expect(errors).toEqual([]);
  }, 90_000);
});
