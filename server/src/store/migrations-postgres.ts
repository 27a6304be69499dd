// The PostgreSQL schema: the same versions, names, tables, columns, constraints and indexes as
// sqliteMigrations (migrations.ts), spelled for PostgreSQL: BYTEA for BLOB, BIGSERIAL for the
// auto-increment keys. runs and notes also get `seq`, an insertion counter standing in for SQLite's
// implicit rowid, which listRuns and listNotes use to order rows stored at the same millisecond.
// A new migration goes into both lists with the same version and name.
import { accountsSql } from './accounts.ts';
import type { Migration } from './migrations.ts';

export const postgresMigrations: Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
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
        id BIGSERIAL PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id),
        at BIGINT NOT NULL,
        participant_id TEXT REFERENCES participants (id),
        bytes BYTEA NOT NULL
      );
      CREATE INDEX doc_updates_session ON doc_updates (session_id, id);

      CREATE TABLE snapshots (
        id BIGSERIAL PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id),
        at BIGINT NOT NULL,
        last_update_id BIGINT NOT NULL,
        bytes BYTEA NOT NULL
      );
      CREATE INDEX snapshots_session ON snapshots (session_id, last_update_id);

      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        seq BIGSERIAL NOT NULL,
        session_id TEXT NOT NULL REFERENCES sessions (id),
        at BIGINT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('manual', 'final')),
        participant_id TEXT REFERENCES participants (id),
        result TEXT NOT NULL
      );
      CREATE INDEX runs_session ON runs (session_id, at);

      CREATE TABLE events (
        id BIGSERIAL PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id),
        at BIGINT NOT NULL,
        type TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX events_session ON events (session_id, id);

      CREATE TABLE notes (
        id TEXT PRIMARY KEY,
        seq BIGSERIAL NOT NULL,
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
    sql: `
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
    sql: `
      -- A practice attempt belongs to an anonymous browser identity (sha256 of its cookie).
      ALTER TABLE sessions ADD COLUMN owner TEXT;
      CREATE INDEX sessions_owner ON sessions (owner, created_at);

      -- Every attempt started, kept when the attempt is deleted: the hourly bound counts these.
      CREATE TABLE practice_starts (
        id BIGSERIAL PRIMARY KEY,
        owner TEXT NOT NULL,
        at BIGINT NOT NULL
      );
      CREATE INDEX practice_starts_owner ON practice_starts (owner, at);
    `,
  },
  {
    version: 4,
    name: 'archive',
    sql: `
      -- A mentor may archive an interview: kept, but off the dashboard's default list.
      ALTER TABLE sessions ADD COLUMN archived_at BIGINT;
    `,
  },
  {
    version: 5,
    name: 'reference outputs',
    sql: `
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
    sql: `
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
    sql: `
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
    sql: accountsSql.replace('{{SERIAL}}', 'BIGSERIAL PRIMARY KEY'),
  },
];
