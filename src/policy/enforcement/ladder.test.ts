import { describe, expect, it } from 'vitest';
import { enforcementSchema } from '../../config/sections/enforcement.js';
import { monitorSchema } from '../../config/sections/monitor.js';
import type { AccountState, Level } from '../../store/port.js';
import { decide, effectiveStatus } from './ladder.js';

const config = enforcementSchema.parse({});
const { levels } = monitorSchema.parse({});
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 5, 1);

function state(level: Level, over: Partial<AccountState> = {}): AccountState {
  return { tenant: 't', account: 'a', level, since: NOW - 2 * DAY, reason: 'r', lastActionId: 'x', ...over };
}
const risk = (value: number, level: Level, lastFlaggedTs: number | null = NOW - HOUR) => ({
  risk: value,
  level,
  lastFlaggedTs,
});

describe('ladder decisions', () => {
  it('climbs one rung per escalation towards the deserved level', () => {
    expect(decide(undefined, risk(0.99, 'ban'), NOW, config, levels)).toMatchObject({
      kind: 'escalate',
      next: 'warn',
    });
    expect(decide(state('warn'), risk(0.99, 'ban'), NOW, config, levels)).toMatchObject({
      kind: 'escalate',
      next: 'throttle',
    });
    expect(decide(state('watch'), risk(0.6, 'warn'), NOW, config, levels)).toMatchObject({
      kind: 'escalate',
      next: 'warn',
    });
    const fast = { ...config, maxStepsPerEscalation: 3 };
    expect(decide(undefined, risk(0.9, 'suspend'), NOW, fast, levels)).toMatchObject({ next: 'suspend' });
  });

  it('does not act on watch-level risk and stops at maxAutoLevel', () => {
    expect(decide(undefined, risk(0.35, 'watch'), NOW, config, levels).kind).toBe('none');
    const d = decide(state('suspend', { until: NOW + DAY }), risk(0.99, 'ban'), NOW, config, levels);
    expect(d).toMatchObject({ kind: 'none', current: 'suspend', target: 'ban' });
    expect(d.why).toContain('analyst');
  });

  it('holds escalation during the cool-down after an action', () => {
    const recent = state('warn', { since: NOW - 2 * HOUR });
    expect(decide(recent, risk(0.8, 'throttle'), NOW, config, levels)).toMatchObject({
      kind: 'hold',
      next: 'warn',
    });
    expect(decide(recent, risk(0.8, 'throttle'), NOW + 5 * HOUR, config, levels)).toMatchObject({
      kind: 'escalate',
    });
  });

  it('expires throttles and suspensions back to warn', () => {
    const suspended = state('suspend', { until: NOW - 1, expiresTo: 'warn' });
    expect(effectiveStatus(suspended, NOW)).toMatchObject({ level: 'warn', expired: true });
    expect(effectiveStatus(suspended, NOW - 2)).toMatchObject({ level: 'suspend', until: NOW - 1 });
    expect(decide(suspended, undefined, NOW, config, levels)).toMatchObject({ kind: 'expire', next: 'warn' });
  });

  it('steps down one rung after a quiet period, but never lifts a ban', () => {
    const old = NOW - 20 * DAY;
    expect(
      decide(state('throttle', { since: old }), risk(0.1, 'none', old), NOW, config, levels),
    ).toMatchObject({
      kind: 'deescalate',
      next: 'warn',
    });
    expect(decide(state('warn', { since: old }), undefined, NOW, config, levels)).toMatchObject({
      next: 'none',
    });
    // Flagged recently: not quiet.
    expect(
      decide(state('warn', { since: old }), risk(0.1, 'none', NOW - DAY), NOW, config, levels).kind,
    ).toBe('none');
    expect(decide(state('ban', { since: old }), undefined, NOW, config, levels).kind).toBe('none');
  });

  it('leaves manual levels alone while the hold lasts', () => {
    const held = state('none', { holdUntil: NOW + DAY, since: NOW - HOUR });
    expect(decide(held, risk(0.99, 'ban'), NOW, config, levels)).toMatchObject({
      kind: 'hold',
      next: 'none',
    });
    expect(decide(held, risk(0.99, 'ban'), NOW + 2 * DAY, config, levels)).toMatchObject({
      kind: 'escalate',
    });
  });
});
