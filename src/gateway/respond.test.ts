import { describe, expect, it } from 'vitest';
import { newExchange } from './exchange.js';
import { decisionHeaders, passHeaders, responseHeaders } from './respond.js';

describe('responseHeaders', () => {
  it('gives what spreading passHeaders then decisionHeaders gives, in the same order', () => {
    const upstreams = [
      {},
      { 'content-type': 'application/json', 'x-request-id': 'r1', 'set-cookie': ['a=1'], server: 'stub' },
      {
        'x-ratelimit-remaining-requests': '99',
        'content-type': 'text/plain',
        'retry-after': '3',
        'anthropic-ratelimit-tokens-limit': '1000',
        'openai-processing-ms': '12',
        'request-id': 'abc',
        'openai-version': '2020-10-01',
        'content-length': '12',
        'x-interdict-decision': 'spoofed',
      },
    ];
    let compared = 0;
    for (const upstream of upstreams) {
      for (const shadow of [false, true]) {
        for (const action of ['allow', 'flag', 'redact', 'block'] as const) {
          const ex = newExchange('chat');
          ex.shadow = shadow;
          ex.action = action;
          const expected = { ...passHeaders(upstream), ...decisionHeaders(ex) };
          expect(Object.entries(responseHeaders(upstream, ex))).toEqual(Object.entries(expected));
          compared++;
        }
      }
    }
    expect(compared).toBe(24);
  });
});
