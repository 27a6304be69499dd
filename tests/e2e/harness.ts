// End-to-end harness: the real server in-process (tests/support/server.ts: port 0, temp DATA_DIR,
// known mentor key, real runner and exercises; SQLite, or PostgreSQL with TEST_STORE=postgres),
// the client freshly built by Vite, and Debian's Chromium.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { build } from 'vite';
import type { SessionSummary } from '../../common/protocol.ts';
import type { App } from '../../server/src/app.ts';
import { testConfig } from '../../server/src/config.ts';
import type { Clock } from '../../server/src/sessions/timer.ts';
import type { Store } from '../../server/src/store/types.ts';
import { TEST_EXERCISES_DIR } from '../support/paths.ts';
import { startInProcess } from '../support/server.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
export const MENTOR_KEY = 'e2e-mentor-key-0123456789abcdef';
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Skip only where Chromium cannot be had; in CI its absence is a failure, not a skip. */
export const SKIP_BROWSER_TESTS = !fs.existsSync(CHROMIUM) && !process.env['CI'];

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface Harness {
  baseUrl: string;
  app: App;
  /** What the server has stored (e.g. to check that an edit was saved, or was not). */
  store: Store;
  browser: Browser;
  close(): Promise<void>;
}

const CLIENT_OUT = path.join(ROOT, 'dist/client');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * The client as the server will serve it: dist/client, rebuilt with Vite when missing or older
 * than any source in client/ or common/ (a build takes both cores for a few seconds).
 */
export async function ensureClientBuilt(): Promise<string> {
  const index = path.join(CLIENT_OUT, 'index.html');
  const sources = Math.max(newestMtime(path.join(ROOT, 'client')), newestMtime(path.join(ROOT, 'common')), fs.statSync(path.join(ROOT, 'package-lock.json')).mtimeMs);
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs > sources) return CLIENT_OUT;
  await build({ configFile: path.join(ROOT, 'client/vite.config.ts'), logLevel: 'warn' });
  return CLIENT_OUT;
}

/**
 * `clock`: a ManualClock lets a test move the server's time (the browser keeps its own).
 * `browserArgs`: more Chromium flags for this file's browser (e.g. a fake camera and microphone).
 */
export async function startHarness(options: { clock?: Clock; browserArgs?: string[] } = {}): Promise<Harness> {
  const clientDir = await ensureClientBuilt();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-e2e-'));
  const dataDir = path.join(tmp, 'data');

  const config = testConfig({ dataDir, clientDir, exercisesDir: TEST_EXERCISES_DIR, mentorKey: MENTOR_KEY });
  // The server's own assembly (its runner included), on SQLite, or on PostgreSQL with TEST_STORE=postgres.
  const server = await startInProcess({ config, mentorKey: MENTOR_KEY, log: () => {}, clock: options.clock });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...(options.browserArgs ?? [])] });

  return {
    baseUrl: server.url,
    app: server.assembly.app,
    store: server.store,
    browser,
    async close() {
      await browser.close().catch(() => {});
      await server.close().catch(() => {});
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** Creates an interview over the API with the mentor key, as the dashboard does; fails the test unless it is created (201). */
export async function createSession(h: Pick<Harness, 'baseUrl'>, body: Record<string, unknown>): Promise<SessionSummary> {
  const res = await fetch(`${h.baseUrl}/api/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MENTOR_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as SessionSummary;
}

/** expect.poll with a patience that fits a page loading Monaco on two busy cores. */
export const poll = <T>(fn: () => Promise<T> | T, timeoutMs = 20_000) => expect.poll(fn, { timeout: timeoutMs, interval: 100 });

/** Visible editor text (Monaco renders only the lines in view, and spaces as no-break spaces). */
export async function editorText(page: Page): Promise<string> {
  return (await page.locator('.editor-host .view-lines').innerText()).replace(/\u00a0/g, ' ');
}

export interface PageOptions {
  width?: number;
  acceptDownloads?: boolean;
  /** Console errors that are expected (e.g. requests aborted by a simulated outage). */
  expectedConsoleError?: (text: string) => boolean;
}

/**
 * A page in a fresh browser context (its own cookies and storage, like another person's browser),
 * whose page errors and console errors are collected into `errors` for the test to assert empty.
 */
export async function trackedPage(browser: Browser, contexts: BrowserContext[], errors: string[], label: string, o: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: o.width ?? 1280, height: 800 }, acceptDownloads: o.acceptDownloads ?? false });
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => errors.push(`${label}: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !o.expectedConsoleError?.(msg.text())) errors.push(`${label} console: ${msg.text()}`);
  });
  return page;
}
