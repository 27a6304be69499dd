// Wires the parts: express (API + client), socket.io, the session service. Dependencies are
// injected so tests can pass a temp store, a manual clock, and the real runner and exercises.
import http from 'node:http';
import express from 'express';
import type { Cluster } from './cluster/index.ts';
import type { Config } from './config.ts';
import type { ExerciseCatalog } from './exercises/types.ts';
import type { LogFn } from './log.ts';
import { AccountService } from './accounts/service.ts';
import { accountGate } from './accounts/gate.ts';
import { Retention } from './accounts/retention.ts';
import { accountsRouter } from './http/accounts.ts';
import { apiRouter } from './http/api.ts';
import { boardRouter } from './http/board.ts';
import { BoardService } from './board/service.ts';
import { AddressLimits } from './http/address-limit.ts';
import { metricsRouter, type Metrics } from './metrics.ts';
import { PRACTICE_STARTS_PER_ADDRESS_HOUR, practiceRouter } from './http/practice.ts';
import { reviewRouter } from './http/review.ts';
import { PracticeService } from './practice/service.ts';
import { Importer } from './review/importer.ts';
import { ReviewService } from './review/service.ts';
import { errorHandler } from './http/errors.ts';
import { securityHeaders } from './http/security.ts';
import { clientRouter } from './http/static.ts';
import { accountRoom, attachRealtime, type IoServer } from './realtime/index.ts';
import type { Runner } from './runner/index.ts';
import { SessionAdmin } from './sessions/admin.ts';
import { SessionManager } from './sessions/manage.ts';
import { SessionService } from './sessions/service.ts';
import { systemClock, type Clock } from './sessions/timer.ts';
import type { Keys } from './sessions/tokens.ts';
import type { Store } from './store/types.ts';

export interface AppDeps {
  config: Readonly<Config>;
  store: Store;
  catalog: ExerciseCatalog;
  runner: Runner;
  keys: Keys;
  clock?: Clock;
  /** `log(msg, err?)`; a logger from log.ts also takes structured info lines. */
  log?: LogFn;
  /** Several nodes (REDIS_URL): started by the caller, closed by the caller after the app. */
  cluster?: Cluster;
  /** Served at /metrics when config.metricsToken is set. */
  metrics?: Metrics;
  /**
   * Whether new sessions may use this exercise; false for one whose expected outputs could not be
   * prepared (index.ts, from the runner's warm-up). Every exercise when absent.
   */
  offered?: (slug: string) => boolean;
}

export interface App {
  server: http.Server;
  io: IoServer;
  sessions: SessionService;
  practice: PracticeService;
  accounts: AccountService;
  retention: Retention;
  /** Resumes live sessions, then listens; resolves with the bound port. */
  listen(port?: number, host?: string): Promise<number>;
  /** Stops listening and drops connections. The store and the runner belong to the caller. */
  close(): Promise<void>;
}

export function createApp(deps: AppDeps): App {
  const clock = deps.clock ?? systemClock;
  const log: LogFn = deps.log ?? ((msg: string, err?: unknown) => console.error(msg, err ?? ''));
  const sessions = new SessionService({
    store: deps.store,
    catalog: deps.catalog,
    runner: deps.runner,
    clock,
    snapshotEvery: deps.config.snapshotEvery,
    log,
    coordination: deps.cluster?.coordination,
  });

  const admin = new SessionAdmin({ store: deps.store, catalog: deps.catalog, clock, keys: deps.keys, loadedRecord: (id) => sessions.loadedRecord(id), log, offered: deps.offered });
  const manage = new SessionManager({ store: deps.store, admin, sessions, clock, log });

  const review = new ReviewService({ store: deps.store, catalog: deps.catalog, runner: deps.runner, clock, loadedRecord: (id) => sessions.loadedRecord(id) });

  const accounts = new AccountService({ store: deps.store, clock, mentorKey: deps.keys.mentorKey });
  const retention = new Retention({ store: deps.store, clock, sessions, accounts, log });

  const practice = new PracticeService({ store: deps.store, catalog: deps.catalog, admin, sessions, clock, log });

  const web = express();
  web.disable('x-powered-by');
  web.set('trust proxy', deps.config.trustProxy);
  web.use(securityHeaders);
  if (deps.metrics && deps.config.metricsToken) web.use(metricsRouter(deps.metrics, deps.config.metricsToken));
  // Before the general API: its routes have their own body limits (an import is large).
  web.use('/api', practiceRouter(practice, new AddressLimits(PRACTICE_STARTS_PER_ADDRESS_HOUR, () => clock.now())));
  const importer = new Importer({ store: deps.store, catalog: deps.catalog, keys: deps.keys, snapshotEvery: deps.config.snapshotEvery });
  web.use('/api', reviewRouter({ review, admin, importer, keys: deps.keys, accounts, clock, publicUrl: deps.config.publicUrl }));
  web.use('/api', boardRouter({ board: new BoardService({ store: deps.store, catalog: deps.catalog, clock }), accounts }));
  // After the import route: this router parses JSON bodies with a small limit.
  web.use('/api', accountsRouter({ accounts, store: deps.store, retention }));
  web.use('/api', apiRouter({ admin, manage, clock, accounts }));
  web.use(clientRouter(deps.config.clientDir));
  web.use((_req, res) => {
    res.status(404).type('text/plain').send('Not found\n');
  });
  web.use(errorHandler(log));

  const server = http.createServer(web);
  const io = attachRealtime(server, sessions, {
    log,
    trustProxy: deps.config.trustProxy,
    io: deps.cluster?.io,
    localDocUpdates: deps.cluster !== undefined,
    accountGate: accountGate(accounts, deps.store),
    iceServers: deps.config.iceServers,
    turnSecret: deps.config.turnSecret,
    onMentorAction: (action, sessionId, accountId, detail, address) => {
      accounts.audit(accountId ?? 'link', action, sessionId, detail, address).catch((err: unknown) => log('audit failed', err));
    },
  });
  // Through the adapter: a disabled account's sockets close on every node.
  accounts.disconnect = (accountId) => io.in(accountRoom(accountId)).disconnectSockets(true);
  // The cluster subscribes to the service beside the rooms (any order): stored updates go to other nodes.
  deps.cluster?.attach(sessions);

  return {
    server,
    io,
    sessions,
    practice,
    accounts,
    retention,
    async listen(port = deps.config.port, host = deps.config.host) {
      // Alone, this node resumes every live session; with several, each node's sweep takes over
      // the sessions nobody holds (cluster/index.ts).
      if (!deps.cluster) await sessions.start();
      practice.startSweeping();
      retention.start();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      const addr = server.address();
      return typeof addr === 'object' && addr ? addr.port : port;
    },
    async close() {
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      practice.close();
      retention.close();
      importer.close();
      await sessions.close();
    },
  };
}
