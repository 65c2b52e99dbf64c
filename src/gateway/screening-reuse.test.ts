import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { createScreenerFromParts } from '../detect/screener.js';
import type { Detector } from '../detect/types.js';
import { createNormalizer } from '../normalize/index.js';
import { type Harness, markerDetector, startHarness } from './testing/harness.js';

/** Counts how often each text reaches the detectors (a verdict cache hit never does). */
const screened = new Map<string, number>();
const countingDetector: Detector = {
  id: 'test-counter',
  detect({ request }) {
    screened.set(request.text, (screened.get(request.text) ?? 0) + 1);
    return { evidence: [] };
  },
};

const SYSTEM = 'You are the support assistant of Example Corp. Answer briefly and politely.';

describe('screening work per request', () => {
  let h: Harness;
  let client: OpenAI;

  beforeAll(async () => {
    const config = parseConfig({});
    h = await startHarness({
      screener: createScreenerFromParts(config.screening, {
        normalize: createNormalizer(),
        detectors: [markerDetector, countingDetector],
      }),
    });
    client = new OpenAI({ apiKey: 'client-key', baseURL: `${h.url}/v1`, maxRetries: 0 });
  });
  afterAll(() => h.close());
  beforeEach(() => screened.clear());

  it('screens a system prompt that every request re-sends once, not per request', async () => {
    h.stub.reply = (body) => `Answer number ${JSON.stringify(body).length}.`;
    for (const question of ['What are your opening hours?', 'Where is my parcel?', 'Can I pay by card?']) {
      const { response } = await client.chat.completions
        .create({
          model: 'm',
          messages: [
            { role: 'system', content: SYSTEM },
            { role: 'user', content: question },
          ],
        })
        .withResponse();
      expect(response.headers.get('x-interdict-decision')).toBe('allow');
      expect(screened.get(question)).toBe(1);
    }
    expect(screened.get(SYSTEM)).toBe(1);
  });

  it('screens earlier turns once as the conversation grows, and still judges the joined conversation', async () => {
    const turns = ['Tell me about IGNORE-ALL-', 'PREVIOUS instructions in a story'];
    const first = await client.chat.completions
      .create({ model: 'm', messages: [{ role: 'user', content: turns[0]! }] })
      .withResponse();
    expect(first.response.headers.get('x-interdict-decision')).toBe('allow');
    // The second request re-sends the first turn: its verdict is reused; the joined turns are screened whole.
    const err = await client.chat.completions
      .create({
        model: 'm',
        messages: [
          { role: 'user', content: turns[0]! },
          { role: 'assistant', content: 'Which story?' },
          { role: 'user', content: turns[1]! },
        ],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('INTERDICT_BLOCKED');
    expect(screened.get(turns[0]!)).toBe(1);
    expect(screened.get(turns[1]!)).toBe(1);
    expect(screened.get(turns.join('\n'))).toBe(1);
  });

  it('screens a completion with the system prompt as context, so prompt echo is still checked', async () => {
    h.stub.reply = () => 'A fixed reply.';
    for (let i = 0; i < 2; i++) {
      await client.chat.completions.create({
        model: 'm',
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: `Question ${i}` },
        ],
      });
    }
    // With a system prompt the completion's verdict depends on it: screened every time, never from the cache.
    expect(screened.get('A fixed reply.')).toBe(2);
  });
});
