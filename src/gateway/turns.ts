/**
 * Hands the request thread's CPU to waiting requests one event-loop turn at a time, in the order they asked.
 *
 * Why: Node (libuv 1.45 and later) accepts at most one new connection per turn of the event loop. When every
 * request handler screens synchronously where its body arrives, one turn runs the screening of every request
 * that arrived together: at saturation with keep-alive clients that is tens of milliseconds per turn, so new
 * connections wait in the kernel's accept queue for seconds while the established ones are served (measured
 * with `bench/gateway.bench.ts` at concurrency 256: the first requests of the 192 connections opened under
 * load took 1 to 8 s, every other request about 0.15 s). Giving each screening a turn of its own keeps turns
 * about one screening long, lets the loop accept and read between screenings, and serves requests in arrival
 * order (input and output screenings queue together).
 *
 * Cost: one setImmediate hop per screening (microseconds); an idle gateway runs the turn in the same loop
 * iteration, right after the I/O that asked for it.
 */
export class TurnQueue {
  private waiting: Array<() => void> = [];
  private head = 0;
  private scheduled = false;

  /** @param budgetMs CPU time one loop turn may give to waiters before polling I/O again. */
  constructor(private readonly budgetMs = 2) {}

  /** Waiters not yet given their turn. */
  get length(): number {
    return this.waiting.length - this.head;
  }

  /**
   * Resolves when it is the caller's turn. Do the CPU-heavy step synchronously right after the await: the next
   * waiter is released on the next turn of the loop, after pending I/O has been polled.
   */
  take(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(this.next);
      }
    });
  }

  private readonly next = (): void => {
    const began = performance.now();
    const release = (): void => {
      const resolve = this.shift();
      if (!resolve) {
        this.scheduled = false;
        return;
      }
      resolve();
      // Runs after the released caller's synchronous step (its await continuation was queued first).
      queueMicrotask(() => {
        if (this.length === 0) this.scheduled = false;
        else if (performance.now() - began < this.budgetMs) release();
        else setImmediate(this.next); // from the check phase: runs on the next loop iteration
      });
    };
    release();
  };

  private shift(): (() => void) | undefined {
    if (this.head === this.waiting.length) return undefined;
    const resolve = this.waiting[this.head];
    this.waiting[this.head++] = undefined as unknown as () => void;
    if (this.head === this.waiting.length) {
      this.waiting = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return resolve;
  }
}
