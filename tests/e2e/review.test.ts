// Review, end to end in Chromium: a short interview is recorded (typing, a paste, a focus loss,
// runs, a note, the end), then a colleague opens the review link: plays it, changes speed, scrubs,
// jumps between runs (the code shown is exactly what each run graded), tests a moment, opens the
// report; the mentor fills the scorecard; the export is imported again and replays the same.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { SessionSummary } from '../../common/protocol.ts';
import { ARTIFACTS, MENTOR_KEY, SKIP_BROWSER_TESTS, editorText, poll, startHarness, trackedPage, type Harness } from './harness.ts';

const SOLUTION = fs.readFileSync(new URL('../../exercises/ring-buffer/wrong/full_wastes_slot.c', import.meta.url), 'utf8');

interface ReplayState {
  t: number;
  index: number;
  text: string;
  speed: number;
  playing: boolean;
}

describe.skipIf(SKIP_BROWSER_TESTS)('session review in Chromium', () => {
  let h: Harness;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];

  const newPage = (label: string) => trackedPage(h.browser, contexts, errors, label, { acceptDownloads: true });
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, name) });
  const state = (page: Page) => page.evaluate(() => (window as unknown as { replayState: () => ReplayState }).replayState());

  async function api(method: string, route: string, body?: unknown): Promise<any> {
    const res = await fetch(h.baseUrl + route, {
      method,
      headers: { authorization: `Bearer ${MENTOR_KEY}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json();
  }

  async function paste(page: Page, text: string): Promise<void> {
    await page.evaluate((t) => {
      const data = new DataTransfer();
      data.setData('text/plain', t);
      document.activeElement?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, text);
  }

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    h = await startHarness();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  it('records an interview and replays, tests, reports, exports and re-imports it', async () => {
    const session = (await api('POST', '/api/sessions', { candidateName: 'Ada Lovelace' })) as SessionSummary;
    const link = (p: string) => new URL(p, h.baseUrl).href;

    // ---- the interview ----
    const mentor = await newPage('mentor');
    await mentor.goto(link(session.links.mentor));
    await mentor.locator('.start-timer').click();
    const candidate = await newPage('candidate');
    await candidate.goto(link(session.links.candidate));
    await poll(() => candidate.locator('.editor-host.readonly').count()).toBe(0);

    await candidate.locator('.editor-host .view-lines').click();
    await candidate.keyboard.press('ControlOrMeta+Home');
    await candidate.keyboard.type('// first idea');
    await candidate.keyboard.press('Enter');
    await candidate.locator('.run').click();
    await poll(() => candidate.locator('.results-headline').innerText(), 60_000).toMatch(/tests passed|failed/i);
    await poll(() => candidate.locator('.run').isDisabled()).toBe(false);

    // A big paste (flagged), then the page is hidden for a moment.
    await candidate.locator('.editor-host .view-lines').click();
    await candidate.keyboard.press('ControlOrMeta+A');
    await paste(candidate, SOLUTION);
    await poll(() => editorText(mentor)).toContain('calloc');
    await candidate.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await candidate.waitForTimeout(1_200);
    await candidate.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
      document.hasFocus = () => true;
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await mentor.click('.tab:has-text("Private notes")');
    await poll(() => mentor.locator('.signal-list').innerText()).toMatch(/pasted.*\n.*left the page.*\n.*came back/s);
    await mentor.fill('.notes-input', 'Pasted a whole solution; ask where it came from.');
    await mentor.click('.notes-add button');
    const firstHeadline = await mentor.locator('.results-headline').innerText();
    await candidate.locator('.run').click();
    await poll(() => mentor.locator('.results-headline').innerText(), 60_000).not.toBe(firstHeadline);
    mentor.once('dialog', (d) => void d.accept());
    await mentor.click('.end-now');
    await poll(() => mentor.locator('.banner').innerText(), 60_000).toContain('Final result');
    await shot(mentor, 'review-ended-mentor.png');
    // Candidates are never offered the review.
    await poll(() => candidate.locator('.banner').innerText()).toContain('The interview ended');
    expect(await candidate.locator('.banner a:has-text("Replay")').count()).toBe(0);

    // ---- a colleague opens the review link ----
    const reviewer = await newPage('reviewer');
    await reviewer.goto(link(session.links.review));
    await reviewer.locator('.replay-clock').waitFor();
    for (const kind of ['run-fail', 'paste', 'focus', 'note', 'timer']) {
      expect(await reviewer.locator(`.scrubber .marker-${kind}`).count(), kind).toBeGreaterThan(0);
    }
    await shot(reviewer, 'replay-start.png');

    // Keyboard help.
    await reviewer.keyboard.press('?');
    await poll(() => reviewer.locator('.help-sheet').isVisible()).toBe(true);
    await reviewer.keyboard.press('Escape');
    await poll(() => reviewer.locator('.help-sheet').isVisible()).toBe(false);

    // Play at 32x, then pause: time moves and the text changes with it.
    await reviewer.selectOption('.speed', '32');
    const before = await state(reviewer);
    await reviewer.keyboard.press(' ');
    await poll(async () => (await state(reviewer)).t).toBeGreaterThan(before.t + 5_000);
    await reviewer.keyboard.press(' ');
    expect((await state(reviewer)).playing).toBe(false);
    expect((await state(reviewer)).speed).toBe(32);

    // Jump between runs: the editor holds exactly what each run graded.
    const exported = await reviewer.evaluate(
      async (token) => (await fetch('/api/review/export', { headers: { Authorization: `Bearer ${token}` } })).json(),
      session.links.review.split('/').pop(),
    );
    const manualRuns = (exported.runs as Array<{ kind: string; source: string }>).filter((r) => r.kind === 'manual');
    expect(manualRuns).toHaveLength(2);
    await reviewer.keyboard.press('Home');
    await reviewer.keyboard.press(']');
    await poll(async () => (await state(reviewer)).text).toBe(manualRuns[0]!.source);
    await poll(() => reviewer.locator('.moment-item.latest').innerText()).toMatch(/Run 1/);
    await reviewer.click('button:has-text("Run ▶")');
    await poll(async () => (await state(reviewer)).text).toBe(manualRuns[1]!.source);
    await poll(() => reviewer.locator('.results-headline').last().innerText()).toMatch(/\d+ \/ \d+ tests passed/);
    await reviewer.keyboard.press('[');
    await poll(async () => (await state(reviewer)).text).toBe(manualRuns[0]!.source);

    // Scrub: a click in the middle of the bar moves the playhead there.
    const bar = await reviewer.locator('.scrubber').boundingBox();
    await reviewer.mouse.click(bar!.x + bar!.width * 0.9, bar!.y + bar!.height / 2);
    await poll(async () => (await state(reviewer)).t).toBeGreaterThan(0);

    // Authorship colours and test this moment.
    await reviewer.locator('label:has-text("Authors") input').check();
    await poll(() => reviewer.locator('.authors').innerText()).toContain('Ada Lovelace');
    await reviewer.keyboard.press('End');
    await reviewer.click('.test-moment');
    await poll(() => reviewer.locator('.tested-label').innerText(), 60_000).toContain('Tested now');
    await shot(reviewer, 'replay-tested.png');

    // ---- the report ----
    await reviewer.click('a:has-text("Report")');
    await reviewer.locator('.stats').waitFor();
    await poll(() => reviewer.locator('.uplot canvas').count()).toBeGreaterThan(0);
    expect(await reviewer.locator('.verdicts tbody tr').count()).toBeGreaterThan(3);
    await poll(() => reviewer.locator('.signals').innerText()).toMatch(/pasted \d+ characters \(flagged\)/);
    expect(await reviewer.locator('.notes').innerText()).toContain('ask where it came from');
    expect(await reviewer.locator('form.scorecard').count()).toBe(0); // reviewers read the scorecard, mentors write it
    expect(await reviewer.locator('.final-code').innerText()).toContain('calloc');

    const mentorReport = await newPage('mentor-report');
    await mentorReport.goto(link(`${session.links.mentor.replace('/s/', '/r/')}/report`));
    await mentorReport.locator('form.scorecard').waitFor();
    await mentorReport.check('input[name=rating-overall][value="3"]');
    await mentorReport.check('input[name=rating-correctness][value="2"]');
    await mentorReport.fill('.scorecard-text-input', 'Fluent C; pasted the core and could explain it.');
    await mentorReport.click('form.scorecard button[type=submit]');
    await poll(() => mentorReport.locator('form.scorecard').innerText()).toContain('Saved');
    await shot(mentorReport, 'report-mentor.png');
    await reviewer.reload();
    await poll(() => reviewer.locator('.scorecard.readonly').innerText()).toContain('Fluent C; pasted the core');
    await reviewer.setViewportSize({ width: 1280, height: 2000 });
    await shot(reviewer, 'report-reviewer.png');
    await reviewer.setViewportSize({ width: 1280, height: 800 });
    const pdf = await reviewer.pdf({ format: 'A4', printBackground: false });
    fs.writeFileSync(path.join(ARTIFACTS, 'report.pdf'), pdf);
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThan(0);
    expect(pages).toBeLessThanOrEqual(2);

    // ---- export, then import on the dashboard, and the copy replays the same ----
    const [download] = await Promise.all([reviewer.waitForEvent('download'), reviewer.click('button:has-text("Export JSON")')]);
    const file = path.join(ARTIFACTS, 'session-export.json');
    await download.saveAs(file);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ format: 'c-interview-session', version: 1 });
    const dash = await newPage('dashboard');
    await dash.goto(`${h.baseUrl}/mentor#key=${MENTOR_KEY}`);
    await dash.locator('.session-row').first().waitFor();
    // Each row shows its four links, the review link among them, with a Copy button.
    await dash.locator('.session-row .show-links').first().click();
    await poll(() => dash.locator('.ready .link-row:has(.link-label:text-is("Review")) button:has-text("Copy")').count()).toBe(1);
    expect(await dash.locator('.ready .link-row:has(.link-label:text-is("Review")) .link-box').inputValue()).toMatch(/\/r\/[\w-]+$/);
    await dash.setInputFiles('.import input[type=file]', file);
    await poll(() => dash.locator('.import').innerText()).toContain('Imported: Ada Lovelace');
    await dash.click('.import a:has-text("Open the replay")');
    await dash.locator('.replay-clock').waitFor();
    await dash.keyboard.press('End');
    const finalRun = (exported.runs as Array<{ kind: string; source: string }>).find((r) => r.kind === 'final')!;
    await poll(async () => (await state(dash)).text).toBe(finalRun.source);
    await shot(dash, 'replay-imported.png');

    for (const page of [reviewer, dash]) expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(errors).toEqual([]);
  }, 300_000);
});
