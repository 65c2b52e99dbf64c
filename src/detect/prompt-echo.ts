import type { Evidence } from '../core/types.js';
import type { Detector, DetectInput, DetectorResult } from './types.js';

/**
 * System-prompt leakage in completions (OWASP LLM07): when the caller passes the operator's system prompt in
 * `context.systemPrompt`, a completion that reproduces long runs of it is a leak, however the user asked for it
 * (translation, "repeat the words above", role-play). Compares word 6-shingles of the folded texts, so case,
 * punctuation and whitespace changes do not hide an echo.
 */
const SHINGLE = 6;
/** Shingles of the system prompt that must reappear before we call it a leak (short prompts need fewer). */
const MIN_SHARED = 3;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

function shingles(list: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + SHINGLE <= list.length; i++) out.add(list.slice(i, i + SHINGLE).join(' '));
  return out;
}

// The system prompt is the same on every call of a deployment: keep its shingles for the last few prompts.
const cache = new Map<string, Set<string>>();
function promptShingles(prompt: string): Set<string> {
  let set = cache.get(prompt);
  if (!set) {
    set = shingles(words(prompt));
    if (cache.size >= 64) cache.delete(cache.keys().next().value as string);
    cache.set(prompt, set);
  }
  return set;
}

export function createPromptEchoDetector(): Detector {
  return {
    id: 'prompt_echo',
    detect({ request, normalized }: DetectInput): DetectorResult {
      const prompt = request.context?.systemPrompt;
      if (request.side !== 'output' || !prompt) return { evidence: [] };
      const target = promptShingles(prompt);
      if (target.size === 0) return { evidence: [] };
      const evidence: Evidence[] = [];
      let best = 0;
      let bestView = 'original';
      for (const view of normalized.views) {
        const seen = shingles(words(view.text));
        let shared = 0;
        for (const s of seen) if (target.has(s)) shared += 1;
        if (shared > best) {
          best = shared;
          bestView = view.id;
        }
      }
      const share = best / target.size;
      if (best >= Math.min(MIN_SHARED, target.size) && (share >= 0.3 || best >= 12)) {
        // Half the prompt echoed is as sure as it gets; a third is a strong signal.
        const score = Math.min(0.95, 0.6 + share * 0.7);
        evidence.push({
          detector: 'prompt_echo',
          category: 'prompt_leak',
          score: Math.round(score * 1000) / 1000,
          view: bestView,
          note: `echo:${Math.round(share * 100)}%`,
        });
      }
      return { evidence };
    },
  };
}
