// The HTTP edges in isolation: mentor auth, JSON errors, security headers, the SPA fallback.
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountService } from '../../../server/src/accounts/service.ts';
import { requireMentor } from '../../../server/src/http/auth.ts';
import { MemoryStore } from '../../../server/src/store/memory.ts';
import { systemClock } from '../../../server/src/sessions/timer.ts';
import { errorHandler } from '../../../server/src/http/errors.ts';
import { securityHeaders } from '../../../server/src/http/security.ts';
import { clientRouter } from '../../../server/src/http/static.ts';
import { ServiceError } from '../../../server/src/sessions/errors.ts';

let server: http.Server;
let url: string;
const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-client-'));
const logged: unknown[] = [];

beforeAll(async () => {
  fs.mkdirSync(path.join(clientDir, 'assets'));
  fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(clientDir, 'assets', 'main-abc123.js'), 'console.log(1)');
  const app = express();
  app.use(securityHeaders);
  app.get('/mentor-only', requireMentor(new AccountService({ store: new MemoryStore(), clock: systemClock, mentorKey: 'the-mentor-key-1234' })), (_req, res) =>
    res.json({ ok: true }),
  );
  app.get('/service-error', () => {
    throw new ServiceError('conflict', 'already');
  });
  app.get('/boom', () => {
    throw new Error('secret internal detail');
  });
  app.use(clientRouter(clientDir));
  app.use(errorHandler((_m, e) => logged.push(e)));
  await new Promise<void>((r) => {
    server = app.listen(0, '127.0.0.1', () => r());
  });
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(clientDir, { recursive: true, force: true });
});

describe('http edges', () => {
  it('checks the bearer key', async () => {
    const get = (h?: string) => fetch(`${url}/mentor-only`, { headers: h ? { authorization: h } : {} });
    expect((await get()).status).toBe(401);
    expect((await get('Bearer wrong')).status).toBe(401);
    expect((await get('Basic the-mentor-key-1234')).status).toBe(401);
    const bad = await get('Bearer the-mentor-key-12345');
    expect(bad.headers.get('www-authenticate')).toBe('Bearer');
    expect(await bad.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect((await get('Bearer the-mentor-key-1234')).status).toBe(200);
  });

  it('maps service errors to statuses and hides internal ones', async () => {
    const a = await fetch(`${url}/service-error`);
    expect(a.status).toBe(409);
    expect(await a.json()).toEqual({ error: { code: 'conflict', message: 'already' } });
    const b = await fetch(`${url}/boom`);
    expect(b.status).toBe(500);
    expect(await b.text()).not.toContain('secret internal detail');
    expect(logged).toHaveLength(1);
  });

  it('serves the client with an SPA fallback, no-store for token pages, immutable assets', async () => {
    for (const p of ['/', '/mentor', '/s/abc', '/r/abc']) {
      const r = await fetch(url + p);
      expect(r.status, p).toBe(200);
      expect(await r.text()).toContain('<title>app</title>');
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(r.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    }
    const asset = await fetch(`${url}/assets/main-abc123.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${url}/s/abc/extra`)).status).toBe(404);
    expect((await fetch(`${url}/index.html`)).status).toBe(200); // static file itself
  });
});
