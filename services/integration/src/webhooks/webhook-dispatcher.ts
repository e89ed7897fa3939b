// The poller that works the delivery table: it sends what is due, sleeps `pollMs` when nothing is,
// and is woken at once when an event was queued. Retries live in Postgres, so they survive restarts.
import type { Logger } from '@switchboard/logging';
import type { WebhookRepository } from './webhook.repository';
import type { WebhookService } from './webhook.service';

const PRUNE_EVERY_MS = 10 * 60_000;
const KEEP_DELIVERED_DAYS = 7;

export class WebhookDispatcher {
  private running?: Promise<void>;
  private stopped = false;
  private wakeUp?: () => void;
  private prunedAt = 0;

  constructor(
    private readonly webhooks: WebhookService,
    private readonly store: WebhookRepository,
    private readonly options: { pollMs: number; concurrency: number },
    private readonly log: Logger,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let taken = 0;
      try {
        taken = await this.webhooks.deliverDue(this.options.concurrency);
        if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
          this.prunedAt = Date.now();
          await this.store.pruneDelivered(KEEP_DELIVERED_DAYS);
        }
      } catch (error) {
        this.log.warn({ err: error }, 'webhook delivery poll failed; trying again');
      }
      if (taken === 0 && !this.stopped) await this.sleep();
    }
  }

  private sleep(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, this.options.pollMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }
}
