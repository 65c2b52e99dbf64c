import { ERROR_CODES, type ErrorCode } from '../core/errors.js';
import type { ApiFamily, ApiKind } from './types.js';

/**
 * Errors in each API's own wire format, so the official SDKs raise their usual typed errors
 * (openai.APIError / Anthropic.APIError subclasses chosen by HTTP status). Messages never carry user content.
 */
export interface GatewayError {
  code: ErrorCode;
  status: number;
  message: string;
}

export function gatewayError(code: ErrorCode, message?: string, status?: number): GatewayError {
  return { code, status: status ?? ERROR_CODES[code].status, message: message ?? ERROR_CODES[code].message };
}

function anthropicType(status: number): string {
  if (status === 400) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limit_error';
  if (status === 529 || status === 503) return 'overloaded_error';
  if (status >= 500) return 'api_error';
  return 'invalid_request_error';
}

function openaiType(status: number): string {
  if (status === 429) return 'rate_limit_exceeded';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export function errorBody(family: ApiFamily, err: GatewayError): string {
  if (family === 'anthropic') {
    return JSON.stringify({
      type: 'error',
      error: { type: anthropicType(err.status), message: err.message },
    });
  }
  return JSON.stringify({
    error: { message: err.message, type: openaiType(err.status), param: null, code: err.code },
  });
}

/**
 * The event that ends a stream cut by policy or by an upstream failure.
 * - Chat Completions: a bare `data: {"error": ...}` event; the openai client throws APIError on it.
 * - Responses: an `event: error` whose data carries `error` too, so the client throws as well.
 * - Anthropic: `event: error` with `{"type":"error","error":{...}}`, as the API itself sends mid-stream.
 */
export function streamErrorEvent(kind: ApiKind, err: GatewayError, sequence = 0): string {
  if (kind === 'messages') return `event: error\ndata: ${errorBody('anthropic', err)}\n\n`;
  const error = { message: err.message, type: openaiType(err.status), param: null, code: err.code };
  if (kind === 'responses') {
    const data = {
      type: 'error',
      code: err.code,
      message: err.message,
      param: null,
      sequence_number: sequence,
      error,
    };
    return `event: error\ndata: ${JSON.stringify(data)}\n\n`;
  }
  return `data: ${JSON.stringify({ error })}\n\n`;
}
