import type { GroupFigures, SetReport } from './run.js';

export const pct = (x: number | null | undefined, digits = 1): string =>
  x === null || x === undefined ? '–' : `${(x * 100).toFixed(digits)}%`;
export const num = (x: number | null | undefined, digits = 3): string =>
  x === null || x === undefined ? '–' : x.toFixed(digits);

/** One line per set: the figures a reader scans first. */
export function setSummaryTable(reports: ReadonlyArray<SetReport & { note?: string }>): string {
  const lines = [
    '| set | rows | malicious | recall | FPR | precision | AUROC | note |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of reports) {
    const o = r.overall;
    lines.push(
      `| ${r.set} | ${r.rows} | ${o.malicious} | ${pct(o.recall)} | ${pct(o.fpr)} | ${pct(o.precision)} | ${num(o.auroc)} | ${r.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

export function categoryTable(report: SetReport): string {
  const lines = [
    '| category | rows | recall / FPR | right category | category precision | AUROC |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  for (const c of report.byCategory) {
    const rate = c.category === 'benign' ? `FPR ${pct(c.fpr)}` : pct(c.recall);
    lines.push(
      `| ${c.category} | ${c.rows} | ${rate} | ${pct(c.categoryAccuracy)} | ${pct(c.categoryPrecision)} | ${num(c.auroc)} |`,
    );
  }
  return lines.join('\n');
}

export function subTable(report: SetReport, limit = 30): string {
  if (report.bySub.length === 0) return '';
  const lines = ['| sub | rows | malicious | recall | FPR |', '|---|---:|---:|---:|---:|'];
  for (const s of report.bySub.slice(0, limit)) {
    lines.push(
      `| ${s.sub.replace(/\|/g, '/')} | ${s.rows} | ${s.malicious} | ${pct(s.recall)} | ${pct(s.fpr)} |`,
    );
  }
  if (report.bySub.length > limit) lines.push(`| … ${report.bySub.length - limit} more | | | | |`);
  return lines.join('\n');
}

export function confusionTable(report: SetReport): string {
  const classes = report.confusion.predictedClasses();
  const truths = report.confusion.classes().filter((c) => report.confusion.cells.has(c));
  const lines = [
    `| truth \\ predicted | ${classes.join(' | ')} |`,
    `|---|${classes.map(() => '---:').join('|')}|`,
  ];
  for (const t of truths)
    lines.push(`| ${t} | ${classes.map((p) => report.confusion.get(t, p)).join(' | ')} |`);
  return lines.join('\n');
}

/** Full markdown for one set (used by `interdict eval` without --json). */
export function setReportMarkdown(report: SetReport): string {
  const parts = [
    `## ${report.set} (preset ${report.preset})`,
    setSummaryTable([report]),
    '### By category',
    categoryTable(report),
    '### Confusion (top flagged category)',
    confusionTable(report),
  ];
  const subs = subTable(report);
  if (subs) parts.push('### By source label (`sub`)', subs);
  if (report.errors) parts.push(`${report.errors} rows could not be screened (coded errors).`);
  return parts.join('\n\n');
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface ChartBar {
  label: string;
  /** Recall for sets with malicious rows, FPR for benign-only sets. */
  value: number | null;
  kind: 'recall' | 'fpr';
  /** Second value (e.g. leave-one-source-out), drawn as a thinner bar under the first. */
  second?: number | null;
}

/**
 * A self-contained SVG bar chart: recall bars (green) and false-positive bars (red, on a 0-10% scale so small
 * rates are visible), with the target lines, one row per set.
 */
export function barChartSvg(
  title: string,
  bars: readonly ChartBar[],
  legend: [string, string] = ['shipped', 'LOSO'],
): string {
  const rowH = 22;
  const left = 210;
  const width = 420;
  const top = 46;
  const height = top + bars.length * rowH + 30;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 120}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="18" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    `<text x="10" y="36" fill="#555">green: recall (0-100%, target 95%); red: false-positive rate (0-10%, target 2%); thin bar: ${escapeXml(legend[1])}</text>`,
  ];
  bars.forEach((bar, i) => {
    const y = top + i * rowH;
    const scale = bar.kind === 'recall' ? 1 : 0.1;
    const color = bar.kind === 'recall' ? '#2e7d32' : '#c62828';
    const target = bar.kind === 'recall' ? 0.95 : 0.02;
    out.push(`<text x="${left - 6}" y="${y + 14}" text-anchor="end">${escapeXml(bar.label)}</text>`);
    out.push(`<rect x="${left}" y="${y + 2}" width="${width}" height="${rowH - 6}" fill="#f3f3f3"/>`);
    const w = (v: number | null | undefined) => Math.max(0, Math.min(1, (v ?? 0) / scale)) * width;
    if (bar.value !== null)
      out.push(
        `<rect x="${left}" y="${y + 2}" width="${w(bar.value).toFixed(1)}" height="${rowH - 12}" fill="${color}"/>`,
      );
    if (bar.second !== undefined && bar.second !== null) {
      out.push(
        `<rect x="${left}" y="${y + rowH - 10}" width="${w(bar.second).toFixed(1)}" height="4" fill="${color}" opacity="0.5"/>`,
      );
    }
    out.push(
      `<line x1="${left + (target / scale) * width}" x2="${left + (target / scale) * width}" y1="${y}" y2="${y + rowH - 2}" stroke="#000" stroke-dasharray="2,2"/>`,
    );
    const text = bar.kind === 'recall' ? `recall ${pct(bar.value)}` : `FPR ${pct(bar.value)}`;
    const second = bar.second !== undefined ? ` / ${pct(bar.second)}` : '';
    out.push(`<text x="${left + width + 6}" y="${y + 14}">${text}${second}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Recall for sets with malicious rows, FPR for benign-only sets. */
export function headline(figures: GroupFigures): { kind: 'recall' | 'fpr'; value: number | null } {
  return figures.malicious > 0
    ? { kind: 'recall', value: figures.recall }
    : { kind: 'fpr', value: figures.fpr };
}
