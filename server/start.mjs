// `npm start`: build the client with Vite when dist/client is missing or older than client/,
// then run the server (TypeScript, through tsx) in this same process.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const clientSrc = path.join(root, 'client');
const clientDir = path.resolve(root, process.env.CLIENT_DIR || 'dist/client');
const builtIndex = path.join(clientDir, 'index.html');

/** Newest modification time under dir (ignoring node_modules), 0 when absent. */
function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

const sources = Math.max(newest(clientSrc), newest(path.join(root, 'common')));
const built = fs.existsSync(builtIndex) ? fs.statSync(builtIndex).mtimeMs : 0;
if (fs.existsSync(path.join(clientSrc, 'vite.config.ts')) && (built === 0 || sources > built) && process.env.SKIP_CLIENT_BUILD !== '1') {
  console.log('building the client (vite)...');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', path.join(clientSrc, 'vite.config.ts')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('client build failed');
    process.exit(r.status ?? 1);
  }
}

const { register } = await import('tsx/esm/api');
register();
await import(pathToFileURL(path.join(root, 'server', 'src', 'index.ts')).href);
