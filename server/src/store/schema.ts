// The schema, written once for both SQL stores: versioned migrations, applied in order at startup,
// each once and inside a transaction (sqlite-db.ts, postgres-pool.ts). The SQL sticks to what both
// databases accept (TEXT, BIGINT, plain and partial indexes); the few differences are spelled by a
// Dialect. A released migration never changes: databases created by it must keep looking exactly
// like new ones (tests/unit/store/schema.test.ts holds migrations 1-8 to the schema they first gave).

/** What SQLite and PostgreSQL spell differently. */
export interface Dialect {
  /** The binary column type. */
  blob: string;
  /** An auto-increment integer primary key. */
  serial: string;
  /**
   * runs and notes: PostgreSQL has no implicit rowid, so `seq`, an insertion counter, lets listRuns
   * and listNotes order rows stored in the same millisecond. A column line with its comma, or ''.
   */
  seq: string;
}

export const SQLITE: Dialect = { blob: 'BLOB', serial: 'INTEGER PRIMARY KEY AUTOINCREMENT', seq: '' };
export const POSTGRES: Dialect = { blob: 'BYTEA', serial: 'BIGSERIAL PRIMARY KEY', seq: '\n        seq BIGSERIAL NOT NULL,' };

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const schema: { version: number; name: string; sql: (d: Dialect) => string }[] = [
  {
    version: 1,
    name: 'initial',
    sql: (d) => `
      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        exercise_slug TEXT NOT NULL,
        candidate_name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('waiting', 'live', 'ended')),
        created_at BIGINT NOT NULL,
        duration_ms BIGINT NOT NULL,
        started_at BIGINT,
        deadline BIGINT,
        ended_at BIGINT
      );
      CREATE INDEX sessions_status ON sessions (status);

      CREATE TABLE tokens (
        hash TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id),
        role TEXT NOT NULL CHECK (role IN ('mentor', 'candidate', 'observer', 'review')),
        sealed TEXT NOT NULL,
        UNIQUE (session_id, role)
      );

      CREATE TABLE participants (
        id TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id),
        role TEXT NOT NULL,
        name TEXT NOT NULL,
        first_seen BIGINT NOT NULL,
        UNIQUE (session_id, role, name)
      );

      CREATE TABLE doc_updates (
        id ${d.serial},
        session_id TEXT NOT NULL REFERENCES sessions (id),
        at BIGINT NOT NULL,
        participant_id TEXT REFERENCES participants (id),
        bytes ${d.blob} NOT NULL
      );
      CREATE INDEX doc_updates_session ON doc_updates (session_id, id);

      CREATE TABLE snapshots (
        id ${d.serial},
        session_id TEXT NOT NULL REFERENCES sessions (id),
        at BIGINT NOT NULL,
        last_update_id BIGINT NOT NULL,
        bytes ${d.blob} NOT NULL
      );
      CREATE INDEX snapshots_session ON snapshots (session_id, last_update_id);

      CREATE TABLE runs (
        id TEXT PRIMARY KEY,${d.seq}
        session_id TEXT NOT NULL REFERENCES sessions (id),
        at BIGINT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('manual', 'final')),
        participant_id TEXT REFERENCES participants (id),
        result TEXT NOT NULL
      );
      CREATE INDEX runs_session ON runs (session_id, at);

      CREATE TABLE events (
        id ${d.serial},
        session_id TEXT NOT NULL REFERENCES sessions (id),
        at BIGINT NOT NULL,
        type TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX events_session ON events (session_id, id);

      CREATE TABLE notes (
        id TEXT PRIMARY KEY,${d.seq}
        session_id TEXT NOT NULL REFERENCES sessions (id),
        participant_id TEXT REFERENCES participants (id),
        at BIGINT NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX notes_session ON notes (session_id, at);
    `,
  },
  {
    version: 2,
    name: 'review',
    sql: () => `
      ALTER TABLE sessions ADD COLUMN mode TEXT NOT NULL DEFAULT 'interview' CHECK (mode IN ('interview', 'practice'));

      -- Where each run sits in the document history, and the code it graded.
      ALTER TABLE runs ADD COLUMN requested_at BIGINT;
      ALTER TABLE runs ADD COLUMN update_id BIGINT;
      ALTER TABLE runs ADD COLUMN source TEXT;
      CREATE UNIQUE INDEX runs_one_final ON runs (session_id) WHERE kind = 'final';

      ALTER TABLE events ADD COLUMN participant_id TEXT REFERENCES participants (id);

      CREATE TABLE scorecards (
        session_id TEXT PRIMARY KEY REFERENCES sessions (id),
        data TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        author TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'practice',
    sql: (d) => `
      -- A practice attempt belongs to an anonymous browser identity (sha256 of its cookie).
      ALTER TABLE sessions ADD COLUMN owner TEXT;
      CREATE INDEX sessions_owner ON sessions (owner, created_at);

      -- Every attempt started, kept when the attempt is deleted: the hourly bound counts these.
      CREATE TABLE practice_starts (
        id ${d.serial},
        owner TEXT NOT NULL,
        at BIGINT NOT NULL
      );
      CREATE INDEX practice_starts_owner ON practice_starts (owner, at);
    `,
  },
  {
    version: 4,
    name: 'archive',
    sql: () => `
      -- A mentor may archive an interview: kept, but off the dashboard's default list.
      ALTER TABLE sessions ADD COLUMN archived_at BIGINT;
    `,
  },
  {
    version: 5,
    name: 'reference outputs',
    sql: () => `
      -- Expected outputs of each exercise's reference solution by content key (runner/grade.ts),
      -- computed once and reused by every node and restart; payload is JSON, checked when read.
      CREATE TABLE reference_outputs (
        key TEXT PRIMARY KEY,
        slug TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 6,
    name: 'imports',
    sql: () => `
      -- Where an imported session came from; the content hash lets a second import of the same
      -- export be refused (and named) instead of making a twin row.
      CREATE TABLE imports (
        session_id TEXT PRIMARY KEY REFERENCES sessions (id),
        imported_at BIGINT NOT NULL,
        source TEXT NOT NULL,
        exported_at BIGINT NOT NULL,
        content_hash TEXT NOT NULL
      );
      CREATE UNIQUE INDEX imports_content ON imports (content_hash);
    `,
  },
  {
    version: 7,
    name: 'fingerprints',
    sql: () => `
      -- Similarity fingerprints of each ended session's final code (server/src/similarity), so that
      -- the comparison board compares stored sets instead of tokenizing every submission on open.
      CREATE TABLE fingerprints (
        session_id TEXT PRIMARY KEY REFERENCES sessions (id),
        slug TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX fingerprints_slug ON fingerprints (slug);
    `,
  },
  {
    version: 8,
    name: 'accounts',
    // Accounts, sign-ins, API tokens, invites, interview owners and shares, the audit log (store/accounts.ts).
    sql: (d) => `
      -- Mentor accounts; the email is unique ignoring case (the lower-cased copy carries the index).
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        email_lower TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'mentor')),
        created_at BIGINT NOT NULL,
        disabled_at BIGINT
      );
      -- Server-side sign-ins (the cookie holds the id; only its sha256 is kept), shared by every node.
      CREATE TABLE logins (
        hash TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );
      CREATE INDEX logins_account ON logins (account_id);
      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        name TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_used_at BIGINT,
        revoked_at BIGINT
      );
      CREATE INDEX api_tokens_account ON api_tokens (account_id);
      CREATE TABLE invites (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'mentor')),
        created_by TEXT,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT
      );
      -- Who owns an interview and with whom it is shared. No foreign key to sessions: deleting a
      -- session drops these rows explicitly (forgetSession), and the audit log keeps its id.
      CREATE TABLE interview_owners (
        session_id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id)
      );
      CREATE INDEX interview_owners_account ON interview_owners (account_id);
      CREATE TABLE interview_shares (
        session_id TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        PRIMARY KEY (session_id, account_id)
      );
      CREATE INDEX interview_shares_account ON interview_shares (account_id);
      -- Who did what to which interview or account, when and from where. actor: an account id, 'key'
      -- (MENTOR_KEY) or NULL (the server).
      CREATE TABLE audit_log (
        id ${d.serial},
        at BIGINT NOT NULL,
        actor TEXT,
        action TEXT NOT NULL,
        session_id TEXT,
        detail TEXT NOT NULL,
        address TEXT
      );
      CREATE INDEX audit_log_at ON audit_log (at);
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];

/** The migrations as one dialect spells them, oldest first. */
export const migrationsFor = (d: Dialect): Migration[] => schema.map((m) => ({ version: m.version, name: m.name, sql: m.sql(d) }));

export const sqliteMigrations = migrationsFor(SQLITE);
export const postgresMigrations = migrationsFor(POSTGRES);

/** Where each store records which migrations it applied. */
export const MIGRATIONS_TABLE = 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)';

/** The migrations not applied yet (`done`: versions applied), in order. */
export const pendingMigrations = (migrations: Migration[], done: ReadonlySet<number>): Migration[] =>
  migrations.filter((m) => !done.has(m.version)).sort((a, b) => a.version - b.version);
