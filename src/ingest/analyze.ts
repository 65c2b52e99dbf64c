import { isInterdictError } from '../core/errors.js';
import {
  DECISION_RANK,
  type DecisionAction,
  type EventAnalysis,
  type InteractionEvent,
  type PartVerdict,
} from '../core/event.js';
import type { Category, Side, Span, Verdict, VerdictAction } from '../core/types.js';
import type { Screener } from '../detect/screener.js';
import { fingerprint } from '../monitor/fingerprint.js';
import { detectCodeLanguage, detectLanguage } from '../monitor/language.js';
import type { StoredAnalysis } from '../store/port.js';

/**
 * Turns an interaction event into a recorded one: screens its parts (when a screener is given), computes the
 * content fingerprints and language features of the user text. Text-derived fields are computed here, before
 * any redaction, so monitoring never needs the text itself.
 */

const RANK = DECISION_RANK;

export interface AnalyzedEvent {
  analysis: StoredAnalysis;
  /** Redaction spans per part (`messages[2]`, `response`), from screening, for the content policy. */
  redactions: Map<string, Span[]>;
}

/** The text the account wrote in this turn: the last user message (earlier turns are resent history). */
export function userText(event: InteractionEvent): string {
  const messages = event.request.messages;
  for (let i = messages.length - 1; i >= 0; i--)
    if (messages[i]!.role === 'user') return messages[i]!.content;
  return '';
}

function sideOf(role: string): Side | undefined {
  if (role === 'user' || role === 'system' || role === 'developer') return 'input';
  if (role === 'tool' || role === 'function') return 'document';
  return undefined; // assistant turns are the model's own earlier output, screened when they were the response
}

/** Small bounded memo: system prompts and tool outputs repeat across many events. */
class VerdictCache {
  private readonly map = new Map<string, Verdict>();
  constructor(private readonly max: number) {}
  get(key: string): Verdict | undefined {
    return this.map.get(key);
  }
  set(key: string, verdict: Verdict): void {
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, verdict);
  }
}

export interface Analyzer {
  analyze(event: InteractionEvent, given?: EventAnalysis): AnalyzedEvent;
}

export function createAnalyzer(screener?: Screener, options: { cacheSize?: number } = {}): Analyzer {
  const cache = new VerdictCache(options.cacheSize ?? 2000);

  function screenPart(
    part: string,
    side: Side,
    text: string,
    into: PartVerdict[],
    reasons: string[],
    spans: Map<string, Span[]>,
  ) {
    if (!screener || text.length === 0) return;
    const key = `${side}\u0000${text}`;
    let verdict = text.length <= 4096 ? cache.get(key) : undefined;
    if (!verdict) {
      try {
        verdict = screener.screen({ text, side });
      } catch (err) {
        reasons.push(
          `${part}: not screened (${isInterdictError(err) ? err.code : 'INTERDICT_SCREENING_FAILED'})`,
        );
        return;
      }
      if (text.length <= 4096) cache.set(key, verdict);
    }
    const rules = [...new Set(verdict.evidence.filter((e) => e.ruleId && e.score > 0).map((e) => e.ruleId!))];
    into.push({
      part,
      side,
      action: verdict.action,
      score: verdict.score,
      categories: verdict.categories,
      flagged: verdict.flaggedCategories,
      rules,
    });
    if (verdict.redactions.length) spans.set(part, verdict.redactions);
    if (verdict.action !== 'allow') {
      reasons.push(
        `${part}: ${verdict.action} ${verdict.flaggedCategories.join(',')}${rules.length ? ` [${rules.join(',')}]` : ''}`,
      );
    }
  }

  return {
    analyze(event, given) {
      const text = userText(event);
      const features = { lang: detectLanguage(text), code: detectCodeLanguage(text) };
      const fingerprints = fingerprint(text);
      const redactions = new Map<string, Span[]>();
      if (given) {
        // A row that already carries an analysis keeps it; only missing fingerprints/features are filled in.
        const analysis: StoredAnalysis = {
          ...given,
          fingerprints: given.fingerprints?.simhash ? given.fingerprints : fingerprints,
          features: (given as StoredAnalysis).features ?? features,
        };
        return { analysis, redactions };
      }
      const verdicts: PartVerdict[] = [];
      const reasons: string[] = [];
      event.request.messages.forEach((message, i) => {
        const side = sideOf(message.role);
        if (side) screenPart(`messages[${i}]`, side, message.content, verdicts, reasons, redactions);
      });
      if (event.response)
        screenPart('response', 'output', event.response.content, verdicts, reasons, redactions);
      let action: DecisionAction = 'allow';
      let score = 0;
      const categories = new Set<Category>();
      for (const v of verdicts) {
        if (RANK[v.action as VerdictAction] > RANK[action]) action = v.action;
        score = Math.max(score, v.score);
        for (const c of v.flagged) categories.add(c);
      }
      if (event.response?.refusal) reasons.push('response: model refused');
      const analysis: StoredAnalysis = {
        verdicts,
        action,
        score,
        categories: [...categories],
        fingerprints,
        reasons,
        features,
      };
      return { analysis, redactions };
    },
  };
}
