/**
 * SQLite schema, as an ordered list. Append new versions; never edit or reorder applied ones (a database
 * records each applied version in schema_migrations). The PostgreSQL list mirrors it version by version.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events',
    sql: `
CREATE TABLE events (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  account TEXT NOT NULL,
  ts INTEGER NOT NULL,
  conversation TEXT,
  model TEXT,
  api_key TEXT,
  ip TEXT,
  signup_ts INTEGER,
  action TEXT NOT NULL,
  score REAL NOT NULL,
  cat_mask INTEGER NOT NULL,
  flagged INTEGER NOT NULL,
  refused INTEGER NOT NULL,
  simhash TEXT,
  minhash TEXT,
  lang TEXT NOT NULL,
  code_lang TEXT NOT NULL,
  body TEXT NOT NULL,
  analysis TEXT NOT NULL
);
CREATE INDEX events_account_ts ON events (tenant, account, ts);
CREATE INDEX events_ts ON events (ts);
CREATE TABLE accounts (
  tenant TEXT NOT NULL,
  account TEXT NOT NULL,
  first_ts INTEGER NOT NULL,
  last_ts INTEGER NOT NULL,
  signup_ts INTEGER,
  events INTEGER NOT NULL,
  PRIMARY KEY (tenant, account)
) WITHOUT ROWID;
CREATE TABLE checkpoints (
  source TEXT PRIMARY KEY,
  "offset" INTEGER NOT NULL,
  line INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);`,
  },
  {
    version: 2,
    name: 'enforcement',
    sql: `
CREATE TABLE actions (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  account TEXT NOT NULL,
  ts INTEGER NOT NULL,
  level TEXT NOT NULL,
  previous TEXT NOT NULL,
  source TEXT NOT NULL,
  actor TEXT NOT NULL,
  reason TEXT NOT NULL,
  until INTEGER,
  expires_to TEXT,
  hold_until INTEGER,
  evidence TEXT NOT NULL
);
CREATE INDEX actions_account_ts ON actions (tenant, account, ts);
CREATE TABLE account_state (
  tenant TEXT NOT NULL,
  account TEXT NOT NULL,
  level TEXT NOT NULL,
  since INTEGER NOT NULL,
  until INTEGER,
  expires_to TEXT,
  hold_until INTEGER,
  reason TEXT NOT NULL,
  last_action_id TEXT NOT NULL,
  PRIMARY KEY (tenant, account)
) WITHOUT ROWID;
CREATE TABLE appeals (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  account TEXT NOT NULL,
  action_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  statement TEXT NOT NULL,
  status TEXT NOT NULL,
  resolved_ts INTEGER,
  resolver TEXT,
  resolution TEXT
);
CREATE INDEX appeals_account ON appeals (tenant, account, ts);`,
  },
  {
    version: 3,
    name: 'drop-events-ts-index',
    // Every query on events filters by (tenant, account) and uses events_account_ts; the only user of
    // events_ts was MAX(ts), now answered from accounts.last_ts. One b-tree fewer per inserted row.
    sql: 'DROP INDEX IF EXISTS events_ts;',
  },
  {
    version: 4,
    name: 'events-one-document',
    // One JSON document per event instead of `body` + `analysis`, the MinHash as a blob, and no columns
    // nothing queries (conversation, model, api_key, ip: they stay in the document). A leaner row is cheaper
    // to build, bind and write. Rows written before keep their base64 MinHash text in the blob column (no
    // base64 decoder in SQL); readers accept both.
    sql: `
CREATE TABLE events_v4 (
  id TEXT PRIMARY KEY,
  tenant TEXT NOT NULL,
  account TEXT NOT NULL,
  ts INTEGER NOT NULL,
  signup_ts INTEGER,
  action TEXT NOT NULL,
  score REAL NOT NULL,
  cat_mask INTEGER NOT NULL,
  flagged INTEGER NOT NULL,
  refused INTEGER NOT NULL,
  simhash TEXT,
  minhash BLOB,
  lang TEXT NOT NULL,
  code_lang TEXT NOT NULL,
  doc TEXT NOT NULL
);
INSERT INTO events_v4 (id, tenant, account, ts, signup_ts, action, score, cat_mask, flagged, refused, simhash,
  minhash, lang, code_lang, doc)
SELECT id, tenant, account, ts, signup_ts, action, score, cat_mask, flagged, refused, simhash, minhash, lang,
  code_lang, json_set(body, '$.interdict', json(analysis))
FROM events ORDER BY rowid;
DROP TABLE events;
ALTER TABLE events_v4 RENAME TO events;
CREATE INDEX events_account_ts ON events (tenant, account, ts);`,
  },
];
