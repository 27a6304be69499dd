// The live interview again, with the server on PostgreSQL. The e2e harness runs on either store
// (TEST_STORE=postgres runs every e2e file there); this file keeps the main walk on PostgreSQL in
// every run, so the browser-facing paths of that store are exercised too.
import { describe, it } from 'vitest';
import { postgresUnavailable } from '../support/postgres.ts';

const why = await postgresUnavailable('the live interview on PostgreSQL');
if (why) {
  describe.skip('live interview on PostgreSQL', () => it.skip(why, () => {}));
} else {
  // Read by the harness when the suite's servers start (each test file runs in its own worker).
  process.env['TEST_STORE'] = 'postgres';
  await import('./live-interview.test.ts');
}
