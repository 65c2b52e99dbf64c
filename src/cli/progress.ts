/**
 * A progress line for long work. Draws on stderr only when stderr is a terminal, so piped and CI output stays
 * clean; callers just tick.
 */
export interface Progress {
  tick(n?: number): void;
  /** Set the total when it becomes known (e.g. bytes of a file). */
  setTotal(total: number): void;
  done(): void;
}

export interface ProgressOptions {
  label: string;
  total?: number;
  unit?: string;
  stream?: NodeJS.WriteStream;
  /** Force drawing even when the stream is not a TTY (tests). */
  force?: boolean;
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const enabled = options.force || Boolean(stream.isTTY);
  const unit = options.unit ?? 'items';
  let total = options.total ?? 0;
  let count = 0;
  let lastDraw = 0;
  const started = Date.now();

  function draw(final = false): void {
    if (!enabled) return;
    const now = Date.now();
    if (!final && now - lastDraw < 100) return;
    lastDraw = now;
    const secs = Math.max((now - started) / 1000, 0.001);
    const rate = Math.round(count / secs);
    let line: string;
    if (total > 0) {
      const frac = Math.min(1, count / total);
      const width = 24;
      const filled = Math.round(frac * width);
      const eta = frac > 0 ? Math.round(secs / frac - secs) : 0;
      line = `${options.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(1)}% ${count}/${total} ${unit} ${rate}/s eta ${eta}s`;
    } else {
      line = `${options.label} ${count} ${unit} ${rate}/s`;
    }
    stream.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
  }

  return {
    tick(n = 1) {
      count += n;
      draw();
    },
    setTotal(value: number) {
      total = value;
    },
    done() {
      draw(true);
    },
  };
}
