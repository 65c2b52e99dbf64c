import { randomUUID } from 'node:crypto';
import { InterdictError } from '../../core/errors.js';
import type { EnforcementConfig } from '../../config/sections/enforcement.js';
import type { MonitorConfig } from '../../config/sections/monitor.js';
import { type AccountRisk, resolveAsOf, scoreAccounts } from '../../monitor/monitor.js';
import {
  type ActionEvidence,
  type ActionSource,
  type Appeal,
  type EnforcementAction,
  type EventStore,
  isLevel,
  type Level,
} from '../../store/port.js';
import { type Decision, decide, durationOf, type EffectiveStatus, effectiveStatus } from './ladder.js';

/**
 * The enforcement API: the gateway asks `statusOf` per request (served from a short cache), the ladder runs
 * over scored accounts, analysts override, account holders appeal. Every change is an action record with a
 * reason and content-free evidence (event ids, rule ids, risk features).
 */

const HOUR = 3_600_000;
const SYSTEM_ACTOR = 'interdict';

export interface AccountStatus {
  level: Level;
  /** When the level ends (epoch ms). */
  until?: number;
  reason?: string;
}

export interface OverrideOptions {
  actor: string;
  reason: string;
  /** Time-limit the level (hours); default: the ladder's duration for that level. */
  hours?: number;
  now?: number;
}

export interface RunOptions {
  asOf?: number;
  tenant?: string;
  /** Decide but record nothing. */
  dryRun?: boolean;
  onDecision?: (decision: RunDecision) => void;
}

export interface RunDecision extends Decision {
  tenant: string;
  account: string;
  risk?: number;
  actionId?: string;
}

export interface RunSummary {
  asOf: number;
  scored: number;
  escalated: number;
  deescalated: number;
  expired: number;
  held: number;
  /** Decisions other than `none`. */
  changes: RunDecision[];
}

export interface EnforcementOptions {
  store: EventStore;
  config: EnforcementConfig;
  monitor: MonitorConfig;
  clock?: () => number;
}

function requireText(value: string, what: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw new InterdictError('INTERDICT_USAGE', `${what} is required`);
  if (trimmed.length > 2000)
    throw new InterdictError('INTERDICT_USAGE', `${what} is longer than 2000 characters`);
  return trimmed;
}

export class Enforcement {
  private readonly store: EventStore;
  private readonly config: EnforcementConfig;
  private readonly monitor: MonitorConfig;
  private readonly clock: () => number;
  private readonly cache = new Map<string, { status: AccountStatus; at: number }>();

  constructor(options: EnforcementOptions) {
    this.store = options.store;
    this.config = options.config;
    this.monitor = options.monitor;
    this.clock = options.clock ?? Date.now;
  }

  private key(tenant: string, account: string): string {
    return `${tenant}\u0000${account}`;
  }

  /** The level in force for an account. Cached for `statusCacheMs`; expiry is applied at read time. */
  async statusOf(tenant: string, account: string): Promise<AccountStatus> {
    const now = this.clock();
    const key = this.key(tenant, account);
    const hit = this.cache.get(key);
    if (
      hit &&
      now - hit.at < this.config.statusCacheMs &&
      (hit.status.until === undefined || now < hit.status.until)
    ) {
      return hit.status;
    }
    const status = toStatus(effectiveStatus(await this.store.accountState(tenant, account), now));
    if (this.cache.size >= 100_000) this.cache.clear();
    this.cache.set(key, { status, at: now });
    return status;
  }

  private async record(
    tenant: string,
    account: string,
    level: Level,
    source: ActionSource,
    actor: string,
    reason: string,
    evidence: ActionEvidence,
    options: { now: number; hours?: number; hold?: boolean },
  ): Promise<EnforcementAction> {
    const previous = effectiveStatus(await this.store.accountState(tenant, account), options.now).level;
    const duration = durationOf(level, this.config);
    const hours = options.hours ?? duration.hours;
    const action: EnforcementAction = {
      id: randomUUID(),
      tenant,
      account,
      ts: options.now,
      level,
      previous,
      source,
      actor,
      reason,
      evidence,
      ...(hours !== undefined && hours > 0
        ? { until: options.now + hours * HOUR, expiresTo: duration.expiresTo ?? 'warn' }
        : {}),
      ...(options.hold ? { holdUntil: options.now + this.config.overrideHoldHours * HOUR } : {}),
    };
    await this.store.putAction(action);
    this.cache.delete(this.key(tenant, account));
    return action;
  }

  /** Applies a level for the ladder (source `auto`) with its evidence. */
  async apply(
    tenant: string,
    account: string,
    level: Level,
    reason: string,
    evidence: ActionEvidence,
    options: { now?: number; source?: ActionSource } = {},
  ): Promise<EnforcementAction> {
    return this.record(tenant, account, level, options.source ?? 'auto', SYSTEM_ACTOR, reason, evidence, {
      now: options.now ?? this.clock(),
    });
  }

  /** An analyst sets a level; automation leaves it alone for `overrideHoldHours`. */
  async override(
    tenant: string,
    account: string,
    level: Level,
    options: OverrideOptions,
  ): Promise<EnforcementAction> {
    if (!isLevel(level)) throw new InterdictError('INTERDICT_USAGE', 'unknown level');
    const actor = requireText(options.actor, 'actor');
    const reason = requireText(options.reason, 'reason');
    return this.record(
      tenant,
      account,
      level,
      'manual',
      actor,
      reason,
      {},
      {
        now: options.now ?? this.clock(),
        ...(options.hours === undefined ? {} : { hours: options.hours }),
        hold: true,
      },
    );
  }

  /** An analyst lifts any level (back to none). */
  async lift(tenant: string, account: string, options: OverrideOptions): Promise<EnforcementAction> {
    return this.override(tenant, account, 'none', options);
  }

  /** The account holder contests an action (default: the latest one). */
  async appeal(
    tenant: string,
    account: string,
    statement: string,
    options: { actionId?: string; now?: number } = {},
  ): Promise<Appeal> {
    const actions = await this.store.actionsFor(tenant, account, 1000);
    const target = options.actionId ? actions.find((a) => a.id === options.actionId) : actions[0];
    if (!target)
      throw new InterdictError('INTERDICT_NOT_FOUND', 'no enforcement action to appeal for this account');
    const open = (await this.store.appealsFor(tenant, account)).find(
      (a) => a.actionId === target.id && a.status === 'open',
    );
    if (open) throw new InterdictError('INTERDICT_USAGE', 'an appeal of this action is already open');
    return this.store.putAppeal({
      id: randomUUID(),
      tenant,
      account,
      actionId: target.id,
      ts: options.now ?? this.clock(),
      statement: requireText(statement, 'statement'),
      status: 'open',
    });
  }

  /**
   * Closes an appeal. Overturned: the account returns to the level it had before the appealed action
   * (recorded as an `appeal` action, automation on hold). Upheld: nothing changes but the record.
   */
  async resolveAppeal(
    id: string,
    outcome: { status: 'upheld' | 'overturned'; resolver: string; resolution: string; now?: number },
  ): Promise<{ appeal: Appeal; action?: EnforcementAction }> {
    const now = outcome.now ?? this.clock();
    const appeal = await this.store.resolveAppeal(id, {
      status: outcome.status,
      resolver: requireText(outcome.resolver, 'resolver'),
      resolution: requireText(outcome.resolution, 'resolution'),
      ts: now,
    });
    if (outcome.status === 'upheld') return { appeal };
    const appealed = (await this.store.actionsFor(appeal.tenant, appeal.account, 1000)).find(
      (a) => a.id === appeal.actionId,
    );
    const restore: Level = appealed?.previous ?? 'none';
    const action = await this.record(
      appeal.tenant,
      appeal.account,
      restore,
      'appeal',
      appeal.resolver!,
      `appeal overturned: ${appeal.resolution}`,
      { appealId: appeal.id },
      { now, hold: true },
    );
    return { appeal, action };
  }

  private async evidenceFor(risk: AccountRisk): Promise<ActionEvidence> {
    const rules = new Set<string>();
    for (const id of risk.eventIds.slice(0, 20)) {
      const event = await this.store.getEvent(id);
      for (const v of event?.interdict.verdicts ?? []) for (const r of v.rules) rules.add(r);
    }
    const features: Record<string, number> = {};
    for (const [name, value] of Object.entries({ ...risk.features, ...risk.components })) {
      if (Number.isFinite(value)) features[name] = Math.round(value * 1000) / 1000;
    }
    return { eventIds: risk.eventIds, rules: [...rules], risk: risk.risk, features, reasons: risk.reasons };
  }

  /** Re-scores accounts and applies the ladder (escalation, expiry, de-escalation). */
  async run(options: RunOptions = {}): Promise<RunSummary> {
    const asOf = await resolveAsOf(this.store, options.asOf);
    const states = new Map(
      // `none` states too: a lifted account carries a hold that the ladder must respect.
      (
        await this.store.accountStates({
          includeNone: true,
          ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
        })
      ).map((s) => [this.key(s.tenant, s.account), s]),
    );
    const summary: RunSummary = {
      asOf,
      scored: 0,
      escalated: 0,
      deescalated: 0,
      expired: 0,
      held: 0,
      changes: [],
    };
    const apply = !options.dryRun && this.config.auto;

    const handle = async (tenant: string, account: string, risk: AccountRisk | undefined) => {
      const state = states.get(this.key(tenant, account));
      let decision = decide(state, risk, asOf, this.config, this.monitor.levels);
      const decisions: RunDecision[] = [];
      if (decision.kind === 'expire') {
        const out: RunDecision = { ...decision, tenant, account };
        if (apply) {
          const action = await this.record(
            tenant,
            account,
            decision.next,
            'expiry',
            SYSTEM_ACTOR,
            decision.why,
            {},
            { now: asOf },
          );
          out.actionId = action.id;
          // Decide again from the post-expiry state (e.g. the risk still warrants escalation).
          decision = decide(
            await this.store.accountState(tenant, account),
            risk,
            asOf,
            this.config,
            this.monitor.levels,
          );
        } else {
          decision = { ...decision, kind: 'none' };
        }
        summary.expired += 1;
        decisions.push(out);
      }
      if (decision.kind === 'escalate' || decision.kind === 'deescalate') {
        const out: RunDecision = { ...decision, tenant, account, ...(risk ? { risk: risk.risk } : {}) };
        if (apply) {
          const evidence = risk && decision.kind === 'escalate' ? await this.evidenceFor(risk) : {};
          const reason =
            decision.kind === 'escalate' && risk?.reasons.length
              ? `${decision.why}: ${risk.reasons.join('; ')}`
              : decision.why;
          const action = await this.record(
            tenant,
            account,
            decision.next,
            'auto',
            SYSTEM_ACTOR,
            reason,
            evidence,
            {
              now: asOf,
            },
          );
          out.actionId = action.id;
        }
        if (decision.kind === 'escalate') summary.escalated += 1;
        else summary.deescalated += 1;
        decisions.push(out);
      } else if (decision.kind === 'hold') {
        summary.held += 1;
      }
      for (const d of decisions) {
        summary.changes.push(d);
        options.onDecision?.(d);
      }
    };

    for await (const risk of scoreAccounts(this.store, {
      config: this.monitor,
      asOf,
      ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
    })) {
      summary.scored += 1;
      await handle(risk.tenant, risk.account, risk);
      states.delete(this.key(risk.tenant, risk.account));
    }
    // Accounts with a level but no activity in the window: only expiry and de-escalation apply.
    for (const state of states.values()) await handle(state.tenant, state.account, undefined);
    return summary;
  }

  /** What the ladder would do for one scored account, without recording anything. */
  async preview(risk: AccountRisk, now: number): Promise<Decision> {
    return decide(
      await this.store.accountState(risk.tenant, risk.account),
      risk,
      now,
      this.config,
      this.monitor.levels,
    );
  }
}

function toStatus(status: EffectiveStatus): AccountStatus {
  return {
    level: status.level,
    ...(status.until === undefined ? {} : { until: status.until }),
    ...(status.reason === undefined ? {} : { reason: status.reason }),
  };
}

export function createEnforcement(options: EnforcementOptions): Enforcement {
  return new Enforcement(options);
}
