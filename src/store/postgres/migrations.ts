import type { Migration } from '../sqlite/migrations.js';

/**
 * PostgreSQL schema, version for version the same as SQLITE_MIGRATIONS in this dialect (BIGINT epoch-ms
 * times, JSONB documents). Append only.
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events',
    sql: `
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  account TEXT NOT NULL,
  ts BIGINT NOT NULL,
  conversation TEXT,
  model TEXT,
  api_key TEXT,
  ip TEXT,
  signup_ts BIGINT,
  action TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  cat_mask INTEGER NOT NULL,
  flagged SMALLINT NOT NULL,
  refused SMALLINT NOT NULL,
  simhash TEXT,
  minhash TEXT,
  lang TEXT NOT NULL,
  code_lang TEXT NOT NULL,
  body JSONB NOT NULL,
  analysis JSONB NOT NULL
);
CREATE INDEX events_account_ts ON events (tenant, account, ts);
CREATE INDEX events_ts ON events (ts);
CREATE TABLE accounts (
  tenant TEXT NOT NULL,
  account TEXT NOT NULL,
  first_ts BIGINT NOT NULL,
  last_ts BIGINT NOT NULL,
  signup_ts BIGINT,
  events BIGINT NOT NULL,
  PRIMARY KEY (tenant, account)
);
CREATE TABLE checkpoints (
  source TEXT PRIMARY KEY,
  "offset" BIGINT NOT NULL,
  line BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);`,
  },
  {
    version: 2,
    name: 'enforcement',
    sql: `
CREATE TABLE actions (
  seq BIGSERIAL,
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  account TEXT NOT NULL,
  ts BIGINT NOT NULL,
  level TEXT NOT NULL,
  previous TEXT NOT NULL,
  source TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  until BIGINT,
  expires_to TEXT,
  hold_until BIGINT,
  evidence JSONB NOT NULL
);
CREATE INDEX actions_account_ts ON actions (tenant, account, ts);
CREATE TABLE account_state (
  tenant TEXT NOT NULL,
  account TEXT NOT NULL,
  level TEXT NOT NULL,
  since BIGINT NOT NULL,
  until BIGINT,
  expires_to TEXT,
  hold_until BIGINT,
  reason TEXT NOT NULL,
  last_action_id TEXT NOT NULL,
  PRIMARY KEY (tenant, account)
);
CREATE TABLE appeals (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  account TEXT NOT NULL,
  action_id TEXT NOT NULL,
  ts BIGINT NOT NULL,
  statement TEXT NOT NULL,
  status TEXT NOT NULL,
  resolved_ts BIGINT,
  resolver TEXT,
  resolution TEXT
);
CREATE INDEX appeals_account ON appeals (tenant, account, ts);`,
  },
  {
    version: 3,
    name: 'events-ts-brin',
    // Events arrive roughly in time order, so a BRIN index serves the monitor's all-accounts time-window
    // scan at a fraction of a B-tree's cost per inserted row. MAX(ts) is now answered from accounts.last_ts.
    sql: `
DROP INDEX IF EXISTS events_ts;
CREATE INDEX events_ts_brin ON events USING brin (ts);`,
  },
  {
    version: 4,
    name: 'events-one-document',
    // As SQLite version 4: one JSONB document per event instead of body + analysis, the MinHash as bytea,
    // no unqueried conversation/model/api_key/ip columns (they stay in the document).
    sql: `
ALTER TABLE events ADD COLUMN doc JSONB;
UPDATE events SET doc = body || jsonb_build_object('interdict', analysis);
ALTER TABLE events ALTER COLUMN doc SET NOT NULL,
  ALTER COLUMN minhash TYPE BYTEA USING decode(minhash, 'base64'),
  DROP COLUMN body, DROP COLUMN analysis, DROP COLUMN conversation, DROP COLUMN model, DROP COLUMN api_key,
  DROP COLUMN ip;`,
  },
];
