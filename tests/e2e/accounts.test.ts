// Teams in Chromium: the first-start setup link makes the admin, who invites two mentors; a
// mentor signs in with Email and Password and creates an interview; the other mentor does not
// see it; the admin does, and the audit log lists who created it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { axeViolations } from './axe.ts';
import { ARTIFACTS, SKIP_BROWSER_TESTS, poll, startHarness, trackedPage, type Harness } from './harness.ts';

describe.skipIf(SKIP_BROWSER_TESTS)('mentor accounts in Chromium', () => {
  let h: Harness;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  // Not signed in yet, the dashboard asks /api/auth/me and gets 401: Chromium logs that as an error.
  const page = (label: string) => trackedPage(h.browser, contexts, errors, label, { expectedConsoleError: (t) => /status of 401/.test(t) });
  const shot = (p: Page, name: string) => p.screenshot({ path: path.join(ARTIFACTS, name), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    h = await startHarness();
  }, 120_000);
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await h?.close();
  });

  const join = async (p: Page, link: string, name: string, email: string) => {
    await p.goto(link);
    await p.getByLabel('Name').waitFor();
    expect(await axeViolations(p)).toEqual([]);
    await p.getByLabel('Name').fill(name);
    await p.getByLabel('Email').fill(email);
    await p.getByLabel('Password').fill(`${name} chose a long password`);
    await p.getByRole('button', { name: 'Create account' }).click();
    await p.waitForSelector('form.create');
  };

  const invite = async (admin: Page): Promise<string> => {
    await admin.goto(`${h.baseUrl}/mentor/team`);
    await admin.getByRole('button', { name: 'Create invite link' }).click();
    const box = admin.getByLabel('Invite link');
    await box.waitFor();
    return box.inputValue();
  };

  it('setup link -> admin -> invites -> a mentor signs in and creates an interview only they and the admin see', async () => {
    const setup = await h.app.accounts.setupLink();
    const admin = await page('admin');
    await join(admin, `${h.baseUrl}/mentor/join#invite=${setup}`, 'Ada Admin', 'ada@example.org');
    expect(await admin.locator('.signed-in').innerText()).toBe('Ada Admin (admin)');
    const firstInvite = await invite(admin);
    const secondInvite = await invite(admin);
    expect(firstInvite).not.toBe(secondInvite);
    await shot(admin, 'accounts-team.png');
    expect(await axeViolations(admin)).toEqual([]);

    // Mentor one makes an account, signs out, and signs in again with the form.
    const one = await page('mentor one');
    await join(one, firstInvite, 'Mo Mentor', 'mo@example.org');
    await one.getByRole('button', { name: 'Sign out' }).click();
    await one.getByLabel('Email').waitFor();
    expect(await axeViolations(one)).toEqual([]);
    await one.getByLabel('Email').fill('mo@example.org');
    await one.getByLabel('Password').fill('not the password');
    await one.getByRole('button', { name: 'Sign in', exact: true }).click();
    await poll(() => one.locator('form .form-error').innerText()).toBe('The email or password is not right.');
    await one.getByLabel('Password').fill('Mo Mentor chose a long password');
    await one.getByRole('button', { name: 'Sign in', exact: true }).click();
    await one.waitForSelector('form.create');
    await one.fill('input[name=candidate]', 'Zoe Candidate');
    await one.click('form.create button[type=submit]');
    await poll(() => one.locator('.ready h2').innerText()).toBe('Interview with Zoe Candidate is ready');
    await poll(() => one.locator('.session-row .candidate-name').allInnerTexts()).toEqual(['Zoe Candidate']);

    // Mentor two does not see it.
    const two = await page('mentor two');
    await join(two, secondInvite, 'Nia Mentor', 'nia@example.org');
    await poll(() => two.locator('.sessions-card .empty').innerText()).toBe('No interviews yet. Create one to get the links.');
    expect(await two.locator('.session-row').count()).toBe(0);

    // The admin does, and the audit log says who created it.
    await admin.goto(`${h.baseUrl}/mentor`);
    await poll(() => admin.locator('.session-row .candidate-name').allInnerTexts()).toEqual(['Zoe Candidate']);
    await admin.goto(`${h.baseUrl}/mentor/audit`);
    await admin.getByLabel('Action').selectOption('session.create');
    await admin.getByRole('button', { name: 'Filter' }).click();
    await poll(() => admin.locator('table.audit tbody tr').count()).toBe(1);
    const cells = await admin.locator('table.audit tbody tr td').allInnerTexts();
    expect(cells.slice(1, 3)).toEqual(['Mo Mentor', 'session.create']);
    expect(cells[4]).toContain('Zoe Candidate');
    await shot(admin, 'accounts-audit.png');
    expect(await axeViolations(admin)).toEqual([]);
    await one.goto(`${h.baseUrl}/mentor/tokens`);
    await one.getByLabel('Token name').fill('nightly export');
    await one.getByRole('button', { name: 'Create token' }).click();
    const token = await one.getByLabel('New token').inputValue();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(
      (await fetch(`${h.baseUrl}/api/sessions`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json())).map((s: { candidateName: string }) => s.candidateName),
    ).toEqual(['Zoe Candidate']);
    expect(await axeViolations(one)).toEqual([]);
    expect(errors).toEqual([]);
  }, 180_000);
});
