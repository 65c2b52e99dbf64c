import type { IncomingHttpHeaders } from 'node:http';
import { InterdictError } from '../core/errors.js';
import type { KeyMatch, TenantPolicy } from '../policy/tenant/resolve.js';
import type { GatewayContext } from './context.js';
import type { Exchange } from './exchange.js';

/** The client's API key: `Authorization: Bearer ...` (OpenAI) or `x-api-key` (Anthropic). */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ')
    return auth.slice(7).trim() || undefined;
  const key = headers['x-api-key'];
  return typeof key === 'string' && key ? key : undefined;
}

export function authenticate(ctx: GatewayContext, headers: IncomingHttpHeaders, ex: Exchange): KeyMatch {
  const match = ctx.resolver.resolve(presentedKey(headers));
  ex.tenant = match.tenant;
  ex.keyId = match.keyId;
  if (match.account) ex.account = match.account;
  return match;
}

/**
 * Enforcement state first (suspended/banned/throttled accounts), then the tenant's rate limit. In shadow mode the
 * outcome is recorded but the call goes on.
 */
export async function checkAccount(ctx: GatewayContext, ex: Exchange, tenant: TenantPolicy): Promise<void> {
  const shadow = tenant.mode === 'shadow';
  let status: Awaited<ReturnType<GatewayContext['accountStatus']['statusOf']>>;
  try {
    status = await ctx.accountStatus.statusOf(tenant.tenant, ex.account);
  } catch {
    ex.reasons.push('account-status:unavailable');
    status = { level: 'none' };
  }
  if (status.level !== 'none')
    ex.reasons.push(`account:${status.level}${status.until ? ` until ${status.until}` : ''}`);
  if (status.level === 'suspend' || status.level === 'ban') {
    ex.action = 'block';
    if (shadow) ex.shadow = true;
    else {
      throw new InterdictError(
        status.level === 'ban' ? 'INTERDICT_ACCOUNT_BANNED' : 'INTERDICT_ACCOUNT_SUSPENDED',
        tenant.messages.suspended,
      );
    }
  }
  const key = `${tenant.tenant}\u0000${ex.account}`;
  // An account the enforcement ladder put on `throttle` gets a quarter of the tenant's rate (6/min without one).
  const throttled =
    status.level === 'throttle' &&
    ctx.rateLimiter.take(`${key}\u0000throttled`, {
      requestsPerMinute: tenant.rateLimit ? tenant.rateLimit.requestsPerMinute / 4 : 6,
      burst: 2,
    }) > 0;
  const limited =
    throttled || (tenant.rateLimit !== undefined && ctx.rateLimiter.take(key, tenant.rateLimit) > 0);
  if (limited) {
    ex.reasons.push(throttled ? 'throttle:account-level' : 'throttle:rate-limit');
    if (ex.action !== 'block') ex.action = 'throttle';
    if (shadow) ex.shadow = true;
    else throw new InterdictError('INTERDICT_THROTTLED', tenant.messages.throttle);
  }
}
