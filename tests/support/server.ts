// The server for tests, in one of two ways: in-process (the app's own assembly, assemble.ts, on a
// port chosen by the system) or spawned as a child process (server-process.ts). Both run on SQLite
// in DATA_DIR by default; TEST_STORE=postgres puts the in-process server's data in a PostgreSQL
// schema of its own (in TEST_DATABASE_URL's server), so any suite can run on either store.
import fs from 'node:fs';
import { assemble, type AssembleOptions, type Assembly } from '../../server/src/assemble.ts';
import type { Config } from '../../server/src/config.ts';
import { loadKeys, type Keys } from '../../server/src/sessions/tokens.ts';
import { openStore } from '../../server/src/store/index.ts';
import type { Store } from '../../server/src/store/types.ts';
import { schemaForDataDir } from './postgres.ts';

export { spawnServer, localServerEnv, LISTENING, type ServerProcess } from './server-process.ts';

/** Which store the test servers use: `TEST_STORE=postgres`, or SQLite. */
export function testStoreKind(): 'sqlite' | 'postgres' {
  return process.env['TEST_STORE'] === 'postgres' ? 'postgres' : 'sqlite';
}

export interface InProcessServer {
  url: string;
  assembly: Assembly;
  store: Store;
  keys: Keys;
  /** Stops the server and closes its store; without keepData, removes DATA_DIR and its schema. */
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export interface InProcessOptions extends Omit<AssembleOptions, 'config' | 'keys' | 'store'> {
  config: Readonly<Config>;
  mentorKey: string;
  /** A PostgreSQL database of the caller's; otherwise the store testStoreKind() names. */
  databaseUrl?: string;
}

export async function startInProcess(o: InProcessOptions): Promise<InProcessServer> {
  const { config, mentorKey, databaseUrl, ...rest } = o;
  const keys = loadKeys(config.dataDir, mentorKey);
  // A schema named after DATA_DIR: a server restarted on the same DATA_DIR finds its data again.
  const schema = databaseUrl === undefined && testStoreKind() === 'postgres' ? await schemaForDataDir(config.dataDir) : undefined;
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: databaseUrl ?? schema?.url });
  const assembly = await assemble({ ...rest, config, keys, store });
  const port = await assembly.app.listen(config.port, config.host);
  return {
    url: `http://127.0.0.1:${port}`,
    assembly,
    store,
    keys,
    async close(opts = {}) {
      await assembly.close();
      await store.close();
      if (opts.keepData) return;
      fs.rmSync(config.dataDir, { recursive: true, force: true });
      await schema?.drop();
    },
  };
}
