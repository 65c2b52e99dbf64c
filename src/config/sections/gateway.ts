import { z } from 'zod';
import { policySchema } from '../../policy/tenant/schema.js';

const url = z.string().url();

export const gatewaySchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8787),
    upstream: z
      .object({
        /** Base URL for OpenAI-format routes; the request path (/v1/...) is appended. */
        openai: url.default('https://api.openai.com'),
        /** Base URL for Anthropic-format routes. */
        anthropic: url.default('https://api.anthropic.com'),
      })
      .strict()
      .default({ openai: 'https://api.openai.com', anthropic: 'https://api.anthropic.com' }),
    timeouts: z
      .object({
        connectMs: z.number().int().positive().default(5_000),
        /** Until the upstream's response headers arrive. */
        firstByteMs: z.number().int().positive().default(120_000),
        /** Whole upstream call, including a stream. */
        totalMs: z.number().int().positive().default(600_000),
        /** Longest silence between two chunks of an upstream stream. */
        idleMs: z.number().int().positive().default(120_000),
      })
      .strict()
      .default({ connectMs: 5_000, firstByteMs: 120_000, totalMs: 600_000, idleMs: 120_000 }),
    /**
     * Connections per upstream host. A streamed call holds one for its whole length, so keep it above the number
     * of concurrent streams; calls beyond it wait for a free connection.
     */
    upstreamSockets: z.number().int().positive().default(512),
    /** Retries for failures before any upstream byte arrived (refused/reset connections, 502/503/504). */
    retries: z.number().int().min(0).max(5).default(2),
    /** Largest accepted request body (413 above). */
    maxBodyBytes: z.number().int().positive().default(8_000_000),
    /** Largest upstream response body buffered for screening (502 above). */
    maxResponseBytes: z.number().int().positive().default(32_000_000),
    /** No-leak streaming windows, in characters. */
    stream: z
      .object({
        /** First release as soon as this much text is pending (low time-to-first-token). */
        firstWindowChars: z.number().int().min(1).default(32),
        /** Later releases at sentence ends or when this much text is pending. */
        windowChars: z.number().int().min(1).default(240),
        /** Already-released text screened again with each window, so a sentence split by a window is seen whole. */
        contextChars: z.number().int().min(0).default(1_500),
      })
      .strict()
      .default({ firstWindowChars: 32, windowChars: 240, contextChars: 1_500 }),
    /** Recent user turns joined into the `conversation` part (split-across-turns attacks). */
    conversationTurns: z.number().int().min(0).max(50).default(6),
    /** Policy: a YAML file path, or the policy inline. */
    policy: z.union([z.string(), policySchema]).optional(),
    record: z
      .object({
        batchSize: z.number().int().positive().default(256),
        flushMs: z.number().int().positive().default(50),
      })
      .strict()
      .default({ batchSize: 256, flushMs: 50 }),
  })
  .strict();

export type GatewayConfig = z.infer<typeof gatewaySchema>;
