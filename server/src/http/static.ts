// The built client (vite -> dist/client) with an SPA fallback for the app's own paths.
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** Paths the client app handles itself; each gets index.html. */
export const APP_PATHS = [
  '/',
  '/mentor',
  '/mentor/board',
  '/mentor/join',
  '/mentor/team',
  '/mentor/tokens',
  '/mentor/audit',
  '/practice',
  '/practice/:slug',
  '/s/:token',
  '/r/:token',
  '/r/:token/report',
];

export function clientRouter(clientDir: string): Router {
  const r = Router();
  const index = path.join(clientDir, 'index.html');
  r.use(
    express.static(clientDir, {
      index: false,
      fallthrough: true,
      setHeaders(res, file) {
        // Vite fingerprints everything under assets/.
        const immutable = file.startsWith(path.join(clientDir, 'assets') + path.sep);
        res.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  r.get(APP_PATHS, (_req, res) => {
    if (!fs.existsSync(index)) {
      res.status(503).type('text/plain').send('The client is not built yet: run `npm start` (it builds it) or `npx vite build`.\n');
      return;
    }
    // The page's URL holds a capability token: keep it out of every cache.
    res.setHeader('Cache-Control', 'no-store');
    res.sendFile(index);
  });
  return r;
}
