/**
 * One registry of coded errors (fastify style). Every error the product raises on purpose has a stable
 * code, an HTTP status and a message that never contains user content, secrets or tokens.
 */
export const ERROR_CODES = {
  // input
  INTERDICT_INPUT_NOT_TEXT: { status: 400, message: 'text must be a string' },
  INTERDICT_INPUT_EMPTY: { status: 400, message: 'text is empty' },
  INTERDICT_INPUT_TOO_LARGE: { status: 413, message: 'input exceeds the configured size limit' },
  INTERDICT_INPUT_BAD_SIDE: { status: 400, message: 'side must be one of input, document, output' },
  INTERDICT_INPUT_BAD_JSON: { status: 400, message: 'malformed JSON' },
  INTERDICT_INPUT_BAD_UTF8: { status: 400, message: 'input is not valid UTF-8' },
  INTERDICT_INPUT_BINARY: { status: 415, message: 'binary content is not accepted' },
  INTERDICT_INPUT_INVALID: { status: 400, message: 'invalid input' },
  // config
  INTERDICT_CONFIG_INVALID: { status: 500, message: 'configuration is invalid' },
  INTERDICT_CONFIG_NOT_FOUND: { status: 500, message: 'configuration file not found' },
  // rules / models
  INTERDICT_RULES_INVALID: { status: 500, message: 'rule set is invalid' },
  INTERDICT_MODEL_INVALID: { status: 500, message: 'model artifact is invalid' },
  INTERDICT_MODEL_NOT_FOUND: { status: 500, message: 'model artifact not found' },
  // store
  INTERDICT_STORE_UNAVAILABLE: { status: 503, message: 'event store unavailable' },
  INTERDICT_STORE_MIGRATION: { status: 500, message: 'event store migration failed' },
  INTERDICT_NOT_FOUND: { status: 404, message: 'not found' },
  // gateway / http
  INTERDICT_AUTH_REQUIRED: { status: 401, message: 'missing or invalid API key' },
  INTERDICT_FORBIDDEN: { status: 403, message: 'forbidden' },
  INTERDICT_ROUTE_NOT_FOUND: { status: 404, message: 'unknown route' },
  INTERDICT_UNSUPPORTED_MEDIA: { status: 415, message: 'unsupported content type' },
  INTERDICT_BLOCKED: { status: 400, message: 'request blocked by policy' },
  INTERDICT_HELD_FOR_REVIEW: { status: 403, message: 'request held for review' },
  INTERDICT_THROTTLED: { status: 429, message: 'rate limited by policy' },
  INTERDICT_ACCOUNT_SUSPENDED: { status: 403, message: 'account suspended' },
  INTERDICT_ACCOUNT_BANNED: { status: 403, message: 'account banned' },
  INTERDICT_UPSTREAM_TIMEOUT: { status: 504, message: 'upstream timed out' },
  INTERDICT_UPSTREAM_ERROR: { status: 502, message: 'upstream failed' },
  INTERDICT_SCREENING_FAILED: { status: 503, message: 'screening failed' },
  // generic
  INTERDICT_USAGE: { status: 400, message: 'invalid usage' },
  INTERDICT_INTERNAL: { status: 500, message: 'internal error' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorDetail {
  /** Where: a file and line, a JSONL line number, a config path. Never user content. */
  where?: string;
  problem: string;
}

export class InterdictError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: readonly ErrorDetail[];

  constructor(
    code: ErrorCode,
    message?: string,
    details: readonly ErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message ?? ERROR_CODES[code].message, options);
    this.name = 'InterdictError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details?: readonly ErrorDetail[] } {
    return this.details.length
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export function isInterdictError(value: unknown): value is InterdictError {
  return value instanceof InterdictError;
}
