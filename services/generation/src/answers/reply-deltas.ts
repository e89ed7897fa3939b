// Streams a turn's reply to the customer while the model writes it: ReplyDelta events on
// conversation.outbound.v1, keyed by conversation id like the turn's other events, so the gateway
// forwards them in order before the final Reply. Deltas are a preview: when the answer fails
// half-way and falls back, the conversation's final Reply (text, sources, mode) replaces them,
// and a client must always treat that Reply as authoritative. A redelivered request streams again.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { create, OutboundEventSchema, Topics } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';

export interface DeltaSink {
  /** Queues text for the customer; publishing happens in the background, in order. */
  push(text: string): void;
  /** Whether pushed text leaves the process: once it has, it cannot be taken back. */
  readonly live: boolean;
  /** Waits until everything pushed so far is published (or publishing gave up). */
  flush(): Promise<void>;
}

export const NO_DELTAS: DeltaSink = { push: () => undefined, live: false, flush: async () => undefined };

export interface TurnRef {
  tenantId: string;
  conversationId: string;
  turnId: string;
}

@Injectable()
export class ReplyDeltas {
  constructor(private readonly bus: KafkaBus, @Inject(LOGGER) private readonly log: Logger) {}

  open(turn: TurnRef): DeltaSink {
    return new DeltaStream(this.bus, this.log, turn);
  }
}

/**
 * One publish in flight at a time keeps the order; text that arrives meanwhile is sent together
 * with the next one, so a fast model costs fewer Kafka messages than it has tokens.
 */
class DeltaStream implements DeltaSink {
  private pending = '';
  private sending?: Promise<void>;
  private broken = false;
  readonly live = true;

  constructor(private readonly bus: KafkaBus, private readonly log: Logger, private readonly turn: TurnRef) {}

  push(text: string): void {
    if (text === '' || this.broken) return;
    this.pending += text;
    this.sending ??= this.drain();
  }

  async flush(): Promise<void> {
    await this.sending;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending !== '') {
        const text = this.pending;
        this.pending = '';
        await this.bus.publish(
          Topics.outbound,
          create(OutboundEventSchema, {
            tenantId: this.turn.tenantId,
            event: { eventId: randomUUID(), conversationId: this.turn.conversationId, turnId: this.turn.turnId, occurredAt: new Date().toISOString(), kind: { case: 'delta', value: { text } } },
          }),
          { conversationId: this.turn.conversationId },
        );
      }
    } catch (error) {
      // The final Reply still reaches the customer; only the preview stops.
      this.broken = true;
      this.pending = '';
      this.log.warn({ err: error, turnId: this.turn.turnId }, 'could not publish reply deltas; the customer gets the final reply only');
    } finally {
      this.sending = undefined;
    }
  }
}
