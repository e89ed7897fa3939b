// A service's background round (a sweep, a refresh, a retry of interrupted work): every `everyMs`,
// never two rounds at once in one process, a failed round logged and left to the next one, and
// shutdown waiting for the round under way. Replicas keep each other out with their own locks.
import type { Logger } from '@switchboard/logging';

export class RepeatingTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  /** @param what names the round in the log ("retention sweep"). */
  constructor(
    private readonly what: string,
    private readonly work: () => Promise<unknown>,
    private readonly log: Logger,
  ) {}

  /** Rounds every `everyMs` (none when 0), the first at once when `now`. */
  start(everyMs: number, { now = false } = {}): void {
    if (everyMs <= 0) return;
    if (now) void this.run();
    this.timer = setInterval(() => void this.run(), everyMs);
    this.timer.unref();
  }

  /** A round now, or the one under way: resolves when it is over, whether it worked or not. */
  run(): Promise<void> {
    this.running ??= this.work()
      .then(() => undefined)
      .catch((error: unknown) => this.log.warn({ err: error }, `${this.what} failed; the next round tries again`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
