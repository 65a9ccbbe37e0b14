// A queue of work that is planned while it runs: workers wait for the next job until the planner closes it.

export class Jobs<T> {
  private readonly queue: T[] = [];
  private readonly waiting: ((job: T | undefined) => void)[] = [];
  private closed = false;

  /** Adds jobs at the end. */
  push(...jobs: T[]): void {
    this.queue.push(...jobs);
    this.wake();
  }

  /** Adds jobs at the front: they run before what is planned. */
  unshift(...jobs: T[]): void {
    this.queue.unshift(...jobs);
    this.wake();
  }

  /** No more jobs will be planned; workers that find the queue empty stop. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** The next job; undefined once the queue is closed and empty. */
  next(): Promise<T | undefined> {
    if (this.queue.length || this.closed) return Promise.resolve(this.queue.shift());
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private wake(): void {
    while (this.waiting.length && (this.queue.length || this.closed)) this.waiting.shift()!(this.queue.shift());
  }
}
