/** SIGINT handling of `bench run`. */
/** SIGINT once: stop starting and drain; twice: abort the drain (results are still written). */
export class Interrupts {
  count = 0;
  private waiters: [number, () => void][] = [];
  private readonly handler = () => {
    this.count++;
    for (const [n, w] of this.waiters) if (this.count >= n) w();
  };
  constructor() {
    process.on('SIGINT', this.handler);
  }
  /** Resolves at the n-th SIGINT (or at once when it already happened). */
  at(n: number): Promise<void> {
    return new Promise((r) => (this.count >= n ? r() : this.waiters.push([n, r])));
  }
  fire(): void {
    this.handler();
  }
  dispose(): void {
    process.off('SIGINT', this.handler);
  }
}
