// PostgreSQL connection URLs: checked at startup with a readable reason, and completed the way
// psql (libpq) completes them, so that `postgres:///interviews` means the local server's unix
// socket as the current OS user, as it does for psql. (pg alone would try TCP on localhost as
// $USER, which is often unset in services and containers.)
import fs from 'node:fs';
import os from 'node:os';

/** Where Debian's (and most distributions') PostgreSQL listens, and libpq looks, by default. */
const DEFAULT_SOCKET_DIR = '/var/run/postgresql';

/** Throws an Error saying what is wrong with `url` unless it is a postgres:// or postgresql:// URL. */
export function checkPostgresUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a URL; expected postgres://user:password@host:5432/database or postgres:///database (local socket)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//); leave it unset to use SQLite in DATA_DIR`);
  }
  return parsed;
}

/** The URL with libpq's defaults filled in where neither the URL nor PGHOST / PGUSER gives them. */
export function withLocalDefaults(url: string, env: NodeJS.ProcessEnv = process.env): string {
  const parsed = checkPostgresUrl(url);
  if (parsed.hostname === '' && !parsed.searchParams.has('host') && !env.PGHOST && fs.existsSync(DEFAULT_SOCKET_DIR)) {
    parsed.searchParams.set('host', DEFAULT_SOCKET_DIR);
  }
  if (parsed.username === '' && !parsed.searchParams.has('user') && !env.PGUSER && !env.USER) {
    parsed.searchParams.set('user', os.userInfo().username);
  }
  return parsed.toString();
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
