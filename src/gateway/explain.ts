import type { RecordedEvent } from '../core/event.js';

/**
 * Why an event got its decision, as text: verdict per part, rules that fired, thresholds crossed and the policy
 * action. Content-free: message text, responses and keys are never printed (only their sizes).
 */
export function explainEvent(event: RecordedEvent): string {
  const a = event.interdict;
  const lines = [
    `event ${event.id}  ${event.ts}`,
    `tenant ${event.tenant}  account ${event.account}${event.key ? `  key ${event.key}` : ''}${event.model ? `  model ${event.model}` : ''}`,
    `decision: ${a.action}${a.shadow ? ' (shadow mode: recorded, not applied)' : ''}  score ${a.score.toFixed(3)}${
      a.categories.length ? `  categories ${a.categories.join(', ')}` : ''
    }`,
    `request: ${event.request.messages.length} part(s); response: ${event.response ? 'recorded' : 'none'}`,
  ];
  if (a.verdicts.length) {
    lines.push('verdicts:');
    for (const v of a.verdicts) {
      const cats = Object.entries(v.categories)
        .sort((x, y) => (y[1] ?? 0) - (x[1] ?? 0))
        .map(([c, s]) => `${c}=${(s ?? 0).toFixed(3)}${v.flagged.includes(c as never) ? '*' : ''}`)
        .join(' ');
      lines.push(
        `  ${v.part} [${v.side}] ${v.action} score ${v.score.toFixed(3)}${cats ? `  ${cats}` : ''}${
          v.rules.length ? `  rules ${v.rules.join(', ')}` : ''
        }`,
      );
    }
  }
  if (a.reasons.length) {
    lines.push('reasons (part:category=score>=threshold(level)->action [rules]):');
    for (const r of a.reasons) lines.push(`  ${r}`);
  }
  return lines.join('\n');
}
