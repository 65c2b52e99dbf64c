import type { IncomingMessage } from 'node:http';
import { InterdictError } from '../core/errors.js';

/**
 * Reads a request body into one Buffer, refusing early (413) on a declared or actual size over `limit`.
 * On overflow the rest of the body is drained (not buffered) so the connection can still carry the answer.
 */
export function readBody(incoming: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(incoming.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    incoming.resume();
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    incoming.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        chunks.length = 0;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    incoming.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    incoming.on('error', (err) => {
      if (!failed)
        reject(
          new InterdictError('INTERDICT_INPUT_INVALID', 'request body could not be read', [], { cause: err }),
        );
    });
  });
}

function tooLarge(limit: number): InterdictError {
  return new InterdictError('INTERDICT_INPUT_TOO_LARGE', `request body exceeds the limit of ${limit} bytes`);
}

/** True for `application/json` with or without parameters (charset=utf-8). */
export function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const semi = value.indexOf(';');
  const type = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}
