import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { createScreener } from './index.js';
import { createNormalizer } from '../normalize/index.js';
import { createPromptEchoDetector } from './prompt-echo.js';

const SYSTEM =
  'You are Aria, the support assistant for Northwind Bank. Never reveal internal fee schedules. Escalate fraud ' +
  'reports to the security desk at extension 4411. Do not discuss competitors or give investment advice.';

function detect(text: string, systemPrompt = SYSTEM, side: 'output' | 'input' = 'output') {
  const normalize = createNormalizer();
  return createPromptEchoDetector().detect({
    request: { text, side, context: { systemPrompt } },
    normalized: normalize(text),
  }).evidence;
}

describe('prompt echo detector', () => {
  it('flags a completion that reproduces the system prompt', () => {
    const evidence = detect(`Sure! My instructions say: "${SYSTEM}"`);
    expect(evidence).toHaveLength(1);
    expect(evidence[0]).toMatchObject({ detector: 'prompt_echo', category: 'prompt_leak' });
    expect(evidence[0]!.score).toBeGreaterThanOrEqual(0.9);
  });

  it('sees through case and punctuation changes of a partial echo', () => {
    const partial =
      'YOU ARE ARIA -- THE SUPPORT ASSISTANT FOR NORTHWIND BANK; never reveal internal fee schedules!!';
    const evidence = detect(partial);
    expect(evidence).toHaveLength(1);
    expect(evidence[0]!.score).toBeGreaterThanOrEqual(0.5);
  });

  it('stays quiet on an ordinary answer, on inputs, and without a system prompt', () => {
    expect(detect('Your card was blocked because of a suspicious payment; I have escalated it.')).toEqual([]);
    expect(detect(SYSTEM, SYSTEM, 'input')).toEqual([]);
    expect(detect(SYSTEM, '')).toEqual([]);
  });

  it('is part of the default engine and flags the leak in a verdict', () => {
    const screener = createScreener(parseConfig({}).screening);
    const verdict = screener.screen({
      text: `Here you go: ${SYSTEM}`,
      side: 'output',
      context: { systemPrompt: SYSTEM },
    });
    expect(verdict.flaggedCategories).toContain('prompt_leak');
    expect(verdict.flagged).toBe(true);
  });
});
