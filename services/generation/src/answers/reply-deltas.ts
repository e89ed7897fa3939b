// Streams a turn's reply to the customer while the model writes it: ReplyDelta events on
// conversation.outbound.v1, keyed by conversation id like the turn's other events, so the gateway
// forwards them in order before the final Reply. Nothing is shown before the output check has
// passed it: text is released sentence by sentence, each time after moderation.check.v1 (PII,
// the tenant's lists and compliance rules) allowed the whole reply so far. The first text the
// check would block, redact or escalate — or a check that fails — ends the preview for the turn;
// the conversation's final Reply (moderated as a whole) then replaces it. A client must always
// treat that Reply as authoritative. Each run of an answer streams under an id of its own, its
// deltas numbered from 1: a request run again (its first run crashed mid-answer) streams again, and
// the gateway forwards only the first run's deltas, each once.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Action, CheckRequestSchema, create, Direction, OutboundEventSchema, Rpcs, Topics } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, RpcClient } from '@switchboard/messaging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { GenerationConfig } from '../config';
import { completeSentencesLength } from './sentence-ends';

export interface DeltaSink {
  /** Queues text for the customer; it is checked and published in the background, in order. */
  push(text: string): void;
  /** Whether pushed text leaves the process: once it has, it cannot be taken back. */
  readonly live: boolean;
  /** The reply is complete: checks and publishes what is left after the last sentence end too. */
  finish(): Promise<void>;
  /** Waits until the checks and publishes under way are done; text after the last sentence end is not shown. */
  flush(): Promise<void>;
}

export const NO_DELTAS: DeltaSink = { push: () => undefined, live: false, finish: async () => undefined, flush: async () => undefined };

export interface TurnRef {
  tenantId: string;
  conversationId: string;
  turnId: string;
}

/** Whether the output check lets this reply text reach the customer as it is. */
type OutputCheck = (turn: TurnRef, text: string) => Promise<{ allowed: boolean; rules: string[] }>;

@Injectable()
export class ReplyDeltas {
  private readonly check: OutputCheck;

  constructor(
    private readonly bus: KafkaBus,
    rpc: RpcClient,
    @Inject(CONFIG) config: GenerationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.check = async (turn, text) => {
      const request = create(CheckRequestSchema, {
        tenantId: turn.tenantId,
        conversationId: turn.conversationId,
        direction: Direction.OUTPUT,
        text,
      });
      const result = await rpc.request(Rpcs.moderationCheck, request, {
        timeoutMs: config.STREAM_CHECK_TIMEOUT_MS,
        conversationId: turn.conversationId,
      });
      // Only an untouched reply is shown early; a redaction is the final Reply's to make.
      return {
        allowed: result.action === Action.ALLOW || result.action === Action.UNSPECIFIED,
        rules: [...new Set(result.findings.map((f) => f.rule))],
      };
    };
  }

  open(turn: TurnRef): DeltaSink {
    return new DeltaStream(this.bus, this.check, this.log, turn);
  }
}

/**
 * One check-and-publish in flight at a time keeps the order; sentences that complete meanwhile
 * are checked and sent together with the next one, so a fast model costs fewer checks and Kafka
 * messages than it has sentences. Each check covers everything released before as well, so a rule
 * that spans a sentence boundary still fires.
 */
class DeltaStream implements DeltaSink {
  private released = '';
  private pending = '';
  private ending = false;
  private stopped = false;
  private working?: Promise<void>;
  /** This run's deltas: the gateway forwards one run's per turn, in this order, each once. */
  private readonly streamId = randomUUID();
  private sequence = 0;
  readonly live = true;

  constructor(
    private readonly bus: KafkaBus,
    private readonly check: OutputCheck,
    private readonly log: Logger,
    private readonly turn: TurnRef,
  ) {}

  push(text: string): void {
    if (text === '' || this.stopped) return;
    this.pending += text;
    this.start();
  }

  async finish(): Promise<void> {
    this.ending = true;
    if (!this.stopped) this.start();
    await this.working;
  }

  async flush(): Promise<void> {
    await this.working;
  }

  /** At most one drain at a time; `working` is cleared asynchronously, after it was set, even when nothing was to be done. */
  private start(): void {
    this.working ??= this.drain().finally(() => {
      this.working = undefined;
    });
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopped) {
        const length = this.ending ? this.pending.length : completeSentencesLength(this.pending);
        if (length === 0) return;
        const text = this.pending.slice(0, length);
        this.pending = this.pending.slice(length);
        const verdict = await this.check(this.turn, this.released + text);
        if (!verdict.allowed) {
          this.stop();
          this.log.info(
            { turnId: this.turn.turnId, rules: verdict.rules },
            'the output check stopped the streamed reply; the customer gets the final reply only',
          );
          return;
        }
        await this.publish(text);
        this.released += text;
      }
    } catch (error) {
      // Unchecked text is never shown: the final Reply still reaches the customer; only the preview stops.
      this.stop();
      this.log.warn(
        { err: error, turnId: this.turn.turnId },
        'could not check or publish reply deltas; the customer gets the final reply only',
      );
    }
  }

  private stop(): void {
    this.stopped = true;
    this.pending = '';
  }

  private async publish(text: string): Promise<void> {
    this.sequence += 1;
    await this.bus.publish(
      Topics.outbound,
      create(OutboundEventSchema, {
        tenantId: this.turn.tenantId,
        event: {
          eventId: randomUUID(),
          conversationId: this.turn.conversationId,
          turnId: this.turn.turnId,
          occurredAt: new Date().toISOString(),
          kind: { case: 'delta', value: { text, streamId: this.streamId, sequence: this.sequence } },
        },
      }),
      { conversationId: this.turn.conversationId },
    );
  }
}
