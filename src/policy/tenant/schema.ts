import { z } from 'zod';
import { DECISION_ACTIONS, type DecisionAction } from '../../core/event.js';
import { CATEGORIES } from '../../core/types.js';
import { CONTENT_MODES } from '../../config/sections/store.js';

/**
 * Per-tenant gateway policy. A policy file has `defaults` (applied to every tenant) and `tenants`, each with
 * the API keys that identify it and optional overrides of any default. Unknown keys are errors.
 */
/** What a policy may decide: the decisions an event records (core/event.ts), one list for both. */
export const POLICY_ACTIONS = DECISION_ACTIONS;
export type PolicyAction = DecisionAction;

const score = z.number().min(0).max(1);
const action = z.enum(POLICY_ACTIONS);

export const categoryRuleSchema = z
  .object({
    /** Score at which the category counts as flagged (default: the screener's threshold). */
    flag: score.optional(),
    /** Score at which the category counts as severe (default: the screener's block threshold). */
    block: score.optional(),
    /** Action when flagged but under `block` (default: `flag`, `redact` for secrets/pii). */
    onFlag: action.optional(),
    /** Action at or above `block` (default: `block`, `redact` for secrets/pii). */
    onBlock: action.optional(),
  })
  .strict();

export const rateLimitSchema = z
  .object({
    /** Sustained requests per minute per account. */
    requestsPerMinute: z.number().positive(),
    /** Bucket size: requests allowed in a burst (default: one minute's worth). */
    burst: z.number().int().positive().optional(),
  })
  .strict();

/** A secret read from the environment (preferred) or given inline. */
export const secretSchema = z.union([
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ value: z.string().min(1) }).strict(),
]);

export const tenantSettingsSchema = z
  .object({
    /** `enforce` applies decisions; `shadow` decides and records but always forwards. */
    mode: z.enum(['enforce', 'shadow']).optional(),
    /** On a screening or upstream failure: `open` forwards/passes, `closed` refuses. */
    failMode: z.enum(['open', 'closed']).optional(),
    /** `no-leak` releases completion text only after it was screened; `monitor` screens after release. */
    streaming: z.enum(['no-leak', 'monitor']).optional(),
    categories: z.partialRecord(z.enum(CATEGORIES), categoryRuleSchema).optional(),
    /** Messages returned to the client (in the API's own error format). Never include user content. */
    messages: z
      .object({
        block: z.string().min(1).optional(),
        review: z.string().min(1).optional(),
        throttle: z.string().min(1).optional(),
        suspended: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    /** HTTP status for requests held for review (default 403). */
    reviewStatus: z.number().int().min(400).max(599).optional(),
    rateLimit: rateLimitSchema.optional(),
    /** Key sent upstream instead of the client's own (e.g. a shared provider key). */
    upstreamKey: secretSchema.optional(),
    /** How request/response text is kept in recorded events. */
    content: z.enum(CONTENT_MODES).optional(),
  })
  .strict();

export const tenantKeySchema = z
  .object({
    /** SHA-256 (hex) of the API key: the way to keep keys out of the policy file. */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i)
      .optional(),
    /** Environment variable holding the key. */
    env: z.string().min(1).optional(),
    /** The key itself (discouraged outside tests). */
    value: z.string().min(1).optional(),
    /** Account the key belongs to (default: a hash prefix of the key). */
    account: z.string().min(1).optional(),
  })
  .strict()
  .refine((k) => [k.sha256, k.env, k.value].filter((v) => v !== undefined).length === 1, {
    message: 'a key needs exactly one of sha256, env, value',
  });

export const tenantSchema = tenantSettingsSchema
  .extend({ keys: z.array(tenantKeySchema).default([]) })
  .strict();

export const policySchema = z
  .object({
    /** When true, requests whose key matches no tenant get 401; otherwise they run as tenant `default`. */
    requireKnownKey: z.boolean().default(false),
    defaults: tenantSettingsSchema.default({}),
    tenants: z.record(z.string().min(1), tenantSchema).default({}),
  })
  .strict();

export type TenantSettings = z.infer<typeof tenantSettingsSchema>;
export type CategoryRule = z.infer<typeof categoryRuleSchema>;
export type PolicyInput = z.input<typeof policySchema>;
export type Policy = z.infer<typeof policySchema>;
