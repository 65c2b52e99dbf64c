import { CATEGORIES, type Category } from '../core/types.js';
import type { AccountAggregate, WindowCounts } from './port.js';

/**
 * The per-account aggregation both adapters run. Written in the SQL subset SQLite and PostgreSQL share
 * (CASE, SUM, MAX, bitwise &, integer division on integer columns); `p(name)` renders a parameter in the
 * adapter's style. Windows: hour ⊂ day ⊂ month, all ending at asOf.
 */
export function aggregateSelectList(p: (name: string) => string): string {
  const windows: [string, string][] = [
    ['h', p('hourStart')],
    ['d', p('dayStart')],
    ['m', p('monthStart')],
  ];
  const parts: string[] = [];
  for (const [w, start] of windows) {
    parts.push(
      `SUM(CASE WHEN ts >= ${start} THEN 1 ELSE 0 END) AS ${w}_events`,
      `SUM(CASE WHEN ts >= ${start} THEN flagged ELSE 0 END) AS ${w}_flagged`,
      `SUM(CASE WHEN ts >= ${start} AND action = 'block' THEN 1 ELSE 0 END) AS ${w}_blocked`,
      `SUM(CASE WHEN ts >= ${start} THEN refused ELSE 0 END) AS ${w}_refused`,
      `SUM(CASE WHEN ts >= ${start} AND flagged = 1 THEN score ELSE 0 END) AS ${w}_fscore`,
    );
  }
  parts.push(
    'MAX(score) AS max_score',
    'MIN(ts) AS min_ts',
    'MAX(ts) AS max_ts',
    'MAX(signup_ts) AS max_signup',
    'MAX(CASE WHEN flagged = 1 THEN ts END) AS last_flagged',
  );
  CATEGORIES.forEach((_, bit) => {
    parts.push(`SUM(CASE WHEN flagged = 1 AND (cat_mask & ${1 << bit}) <> 0 THEN 1 ELSE 0 END) AS c${bit}`);
  });
  return parts.join(',\n  ');
}

type Num = number | string | bigint | null | undefined;

function num(value: Num): number {
  return value === null || value === undefined ? 0 : Number(value);
}

function counts(row: Record<string, Num>, w: string): WindowCounts {
  return {
    events: num(row[`${w}_events`]),
    flagged: num(row[`${w}_flagged`]),
    blocked: num(row[`${w}_blocked`]),
    refused: num(row[`${w}_refused`]),
    flaggedScore: num(row[`${w}_fscore`]),
  };
}

/** Turns one aggregate row (plus first/signup timestamps and minute stats) into the port's shape. */
export function aggregateFromRow(row: Record<string, unknown>): AccountAggregate {
  const r = row as Record<string, Num> & { tenant: string; account: string };
  const categories: Partial<Record<Category, number>> = {};
  CATEGORIES.forEach((category, bit) => {
    const n = num(r[`c${bit}`]);
    if (n > 0) categories[category] = n;
  });
  const firstTs = r.first_ts === null || r.first_ts === undefined ? num(r.min_ts) : num(r.first_ts);
  const signup = r.signup_ts ?? r.max_signup;
  return {
    tenant: r.tenant,
    account: r.account,
    hour: counts(r, 'h'),
    day: counts(r, 'd'),
    month: counts(r, 'm'),
    maxScore: num(r.max_score),
    categories,
    firstTs: Math.min(firstTs, num(r.min_ts)),
    lastTs: num(r.max_ts),
    lastFlaggedTs: r.last_flagged === null || r.last_flagged === undefined ? null : Number(r.last_flagged),
    signupTs: signup === null || signup === undefined ? null : Number(signup),
    peakPerMinute: num(r.peak),
    activeMinutes: num(r.active),
  };
}
