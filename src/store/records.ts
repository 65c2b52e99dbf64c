import type { AccountState, ActionEvidence, Appeal, AppealStatus, EnforcementAction, Level } from './port.js';

/** Row ↔ record mapping for enforcement tables, shared by both adapters. */

type Row = Record<string, unknown>;

function optNum(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

function optStr<T extends string>(value: unknown): T | undefined {
  return value === null || value === undefined ? undefined : (value as T);
}

export function actionValues(a: EnforcementAction): unknown[] {
  return [
    a.id,
    a.tenant,
    a.account,
    a.ts,
    a.level,
    a.previous,
    a.source,
    a.actor,
    a.reason,
    a.until ?? null,
    a.expiresTo ?? null,
    a.holdUntil ?? null,
    JSON.stringify(a.evidence),
  ];
}

export function actionFromRow(row: Row): EnforcementAction {
  const evidence = (
    typeof row.evidence === 'string' ? JSON.parse(row.evidence) : row.evidence
  ) as ActionEvidence;
  const out: EnforcementAction = {
    id: String(row.id),
    tenant: String(row.tenant),
    account: String(row.account),
    ts: Number(row.ts),
    level: row.level as Level,
    previous: row.previous as Level,
    source: row.source as EnforcementAction['source'],
    actor: String(row.actor),
    reason: String(row.reason),
    evidence,
  };
  const until = optNum(row.until);
  if (until !== undefined) out.until = until;
  const expiresTo = optStr<Level>(row.expires_to);
  if (expiresTo !== undefined) out.expiresTo = expiresTo;
  const holdUntil = optNum(row.hold_until);
  if (holdUntil !== undefined) out.holdUntil = holdUntil;
  return out;
}

/** account_state values in column order: tenant, account, level, since, until, expires_to, hold_until, reason, last_action_id. */
export function stateValues(a: EnforcementAction): unknown[] {
  return [
    a.tenant,
    a.account,
    a.level,
    a.ts,
    a.until ?? null,
    a.expiresTo ?? null,
    a.holdUntil ?? null,
    a.reason,
    a.id,
  ];
}

export function stateFromRow(row: Row): AccountState {
  const out: AccountState = {
    tenant: String(row.tenant),
    account: String(row.account),
    level: row.level as Level,
    since: Number(row.since),
    reason: String(row.reason),
    lastActionId: String(row.last_action_id),
  };
  const until = optNum(row.until);
  if (until !== undefined) out.until = until;
  const expiresTo = optStr<Level>(row.expires_to);
  if (expiresTo !== undefined) out.expiresTo = expiresTo;
  const holdUntil = optNum(row.hold_until);
  if (holdUntil !== undefined) out.holdUntil = holdUntil;
  return out;
}

export function appealValues(a: Appeal): unknown[] {
  return [
    a.id,
    a.tenant,
    a.account,
    a.actionId,
    a.ts,
    a.statement,
    a.status,
    a.resolvedTs ?? null,
    a.resolver ?? null,
    a.resolution ?? null,
  ];
}

export function appealFromRow(row: Row): Appeal {
  const out: Appeal = {
    id: String(row.id),
    tenant: String(row.tenant),
    account: String(row.account),
    actionId: String(row.action_id),
    ts: Number(row.ts),
    statement: String(row.statement),
    status: row.status as AppealStatus,
  };
  const resolvedTs = optNum(row.resolved_ts);
  if (resolvedTs !== undefined) out.resolvedTs = resolvedTs;
  const resolver = optStr<string>(row.resolver);
  if (resolver !== undefined) out.resolver = resolver;
  const resolution = optStr<string>(row.resolution);
  if (resolution !== undefined) out.resolution = resolution;
  return out;
}

/** Per-batch account bookkeeping: one upsert per account instead of one per event. */
export interface AccountTouch {
  tenant: string;
  account: string;
  firstTs: number;
  lastTs: number;
  signupTs: number | null;
  events: number;
}

export function collectTouches(
  rows: Iterable<{ tenant: string; account: string; ts: number; signupTs: number | null }>,
) {
  const touches = new Map<string, AccountTouch>();
  for (const row of rows) {
    const key = `${row.tenant}\u0000${row.account}`;
    const t = touches.get(key);
    if (!t) {
      touches.set(key, {
        tenant: row.tenant,
        account: row.account,
        firstTs: row.ts,
        lastTs: row.ts,
        signupTs: row.signupTs,
        events: 1,
      });
      continue;
    }
    t.firstTs = Math.min(t.firstTs, row.ts);
    t.lastTs = Math.max(t.lastTs, row.ts);
    if (row.signupTs !== null) t.signupTs = row.signupTs;
    t.events += 1;
  }
  return [...touches.values()];
}
