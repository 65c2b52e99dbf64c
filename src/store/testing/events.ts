import type { RecordedEvent } from '../../core/event.js';
import type { Category } from '../../core/types.js';
import type { StoredAnalysis } from '../port.js';

export interface MakeEventOptions {
  id: string;
  tenant?: string;
  account?: string;
  /** Epoch ms. */
  ts: number;
  text?: string;
  action?: StoredAnalysis['action'];
  score?: number;
  categories?: Category[];
  refusal?: boolean;
  simhash?: string;
  minhash?: number[];
  lang?: string;
  code?: string;
  signupTs?: number;
}

/** A recorded event with a hand-set analysis, for store and monitor tests. */
export function makeEvent(o: MakeEventOptions): RecordedEvent {
  const action = o.action ?? 'allow';
  const analysis: StoredAnalysis = {
    verdicts: [
      {
        part: 'messages[0]',
        side: 'input',
        action:
          action === 'allow' || action === 'flag' || action === 'redact' || action === 'block'
            ? action
            : 'flag',
        score: o.score ?? 0,
        categories: Object.fromEntries((o.categories ?? []).map((c) => [c, o.score ?? 0])),
        flagged: o.categories ?? [],
        rules: (o.categories ?? []).map((c) => `TEST-${c.toUpperCase()}`),
      },
    ],
    action,
    score: o.score ?? 0,
    categories: o.categories ?? [],
    fingerprints: { simhash: o.simhash ?? '0123456789abcdef', ...(o.minhash ? { minhash: o.minhash } : {}) },
    reasons: [],
    features: { lang: o.lang ?? 'latin:en', ...(o.code ? { code: o.code } : {}) },
  };
  return {
    id: o.id,
    ts: new Date(o.ts).toISOString(),
    tenant: o.tenant ?? 't1',
    account: o.account ?? 'a1',
    ...(o.signupTs === undefined ? {} : { signup_ts: new Date(o.signupTs).toISOString() }),
    model: 'test-model',
    request: { messages: [{ role: 'user', content: o.text ?? 'hello' }] },
    response: { content: 'ok', ...(o.refusal ? { refusal: true } : {}) },
    interdict: analysis,
  };
}
