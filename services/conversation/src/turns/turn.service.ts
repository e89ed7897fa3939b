// One customer turn: moderate the input, find what the knowledge base says, compose a grounded
// reply, moderate it, then store it and its events together. Safe to run twice for the same turn
// (redelivery after a crash): the message is stored once and the reply is produced once.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  Action, ConversationEventSchema, ConversationLifecycleEventSchema, create, Direction, OutboundEventSchema, Topics,
  type InboundTurn, type MessageInitShape,
} from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { Outbox } from '@switchboard/persistence';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { ConversationConfig } from '../config';
import { ConversationRepository, type BotReply } from '../conversations/conversation.repository';
import { DownstreamClient, TurnDeadlineExceeded, type TurnScope } from './downstream.client';
import { asksForHuman } from './handoff-detector';
import { cannedReply } from './replies';

type EventKind = MessageInitShape<typeof ConversationEventSchema>['kind'];

interface Composed {
  reply: BotReply;
  /** The customer's text with PII redacted, once moderation has seen it. */
  redactedText?: string;
}

@Injectable()
export class TurnService {
  constructor(
    private readonly conversations: ConversationRepository,
    private readonly downstream: DownstreamClient,
    private readonly outbox: Outbox,
    @Inject(CONFIG) private readonly config: ConversationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async handle(turn: InboundTurn): Promise<void> {
    const started = Date.now();
    await this.conversations.recordCustomerMessage(turn);
    if (await this.conversations.hasReply(turn.tenantId, turn.turnId)) {
      // Redelivered after the reply was stored: its events are already in the outbox.
      await this.outbox.flush();
      return;
    }
    const scope: TurnScope = { tenantId: turn.tenantId, conversationId: turn.conversationId, deadline: started + this.config.TURN_DEADLINE_MS };
    let composed: Composed;
    try {
      composed = await this.compose(turn, scope);
    } catch (error) {
      if (!(error instanceof TurnDeadlineExceeded)) throw error;
      this.log.error({ err: error }, 'turn deadline passed; handing off');
      composed = { reply: { text: cannedReply('unavailable', turn.text, turn.locale), mode: 'template', grounded: false, sources: [], handoffReason: 'system_unavailable' } };
    }
    const { reply } = composed;
    await this.conversations.recordReply(turn, reply, (m) => this.stageEvents(m, turn, composed, Date.now() - started));
    await this.outbox.flush();
    this.log.info({ mode: reply.mode, grounded: reply.grounded, handoff: reply.handoffReason, ms: Date.now() - started }, 'turn completed');
  }

  private async compose(turn: InboundTurn, scope: TurnScope): Promise<Composed> {
    const input = await this.downstream.moderate(scope, Direction.INPUT, turn.text);
    if (input.action === Action.BLOCK || input.action === Action.ESCALATE) {
      const handoffReason = input.action === Action.ESCALATE ? 'moderation' : undefined;
      return { reply: { text: input.safeReply, mode: 'moderation', grounded: false, sources: [], handoffReason } };
    }
    // From here on only the redacted text travels: no PII reaches search, the LLM or events.
    const question = input.text;
    if (asksForHuman(question)) {
      return { redactedText: question, reply: { text: cannedReply('handoff', question, turn.locale), mode: 'template', grounded: false, sources: [], handoffReason: 'customer_asked' } };
    }
    const { passages, standardAnswer } = await this.downstream.search(scope, question, turn.locale);
    if (standardAnswer) {
      // An approved FAQ answer matched closely: it is used word for word, and says which entry.
      const output = await this.downstream.moderate(scope, Direction.OUTPUT, standardAnswer.answer);
      if (output.action !== Action.BLOCK && output.action !== Action.ESCALATE) {
        const source = { passageId: `faq:${standardAnswer.faqId}`, title: standardAnswer.question, documentId: standardAnswer.documentId, snippet: truncate(standardAnswer.answer, 200), score: standardAnswer.confidence };
        return { redactedText: question, reply: { text: standardAnswer.answer, mode: 'standard_answer', grounded: true, sources: [source] } };
      }
    }
    const answer = await this.downstream.answer(scope, question, turn.locale, passages);
    const output = await this.downstream.moderate(scope, Direction.OUTPUT, answer.text);
    if (output.action === Action.BLOCK || output.action === Action.ESCALATE) {
      return { redactedText: question, reply: { text: output.safeReply, mode: 'moderation', grounded: false, sources: [] } };
    }
    // Sources in citation order, so the reply's [n] is the n-th source.
    const sources = answer.citations
      .map((c) => passages.find((p) => p.id === c.passageId))
      .filter((p) => p !== undefined)
      .map((p) => ({ passageId: p.id, title: p.title, documentId: p.documentId, snippet: truncate(p.text, 200), score: p.score }));
    return { redactedText: question, reply: { text: output.text, mode: answer.mode, grounded: answer.grounded, sources } };
  }

  private async stageEvents(m: Parameters<Outbox['stage']>[0], turn: InboundTurn, { reply, redactedText }: Composed, durationMs: number): Promise<void> {
    const outbound = (kind: EventKind) =>
      this.outbox.stage(m, Topics.outbound, create(OutboundEventSchema, {
        tenantId: turn.tenantId,
        event: { eventId: randomUUID(), conversationId: turn.conversationId, turnId: turn.turnId, occurredAt: new Date().toISOString(), kind },
      }), { conversationId: turn.conversationId });
    const lifecycle = (kind: MessageInitShape<typeof ConversationLifecycleEventSchema>['kind']) =>
      this.outbox.stage(m, Topics.conversationEvents, create(ConversationLifecycleEventSchema, {
        tenantId: turn.tenantId, conversationId: turn.conversationId, eventId: randomUUID(), occurredAt: new Date().toISOString(), kind,
      }), { conversationId: turn.conversationId });

    await outbound({ case: 'reply', value: { text: reply.text, grounded: reply.grounded, mode: reply.mode, sources: reply.sources } });
    if (reply.handoffReason) {
      await outbound({ case: 'handoff', value: { reason: reply.handoffReason, message: reply.text } });
      await lifecycle({
        case: 'handoffRequested',
        value: { turnId: turn.turnId, customerId: turn.customerId, channel: turn.channel, reason: reply.handoffReason, locale: turn.locale, summary: redactedText === undefined ? `Customer wrote at ${turn.receivedAt}; the message could not be screened (${reply.handoffReason}).` : `Customer wrote: "${truncate(redactedText, 300)}". Bot replied (${reply.mode}).` },
      });
    }
    await lifecycle({ case: 'turnCompleted', value: { turnId: turn.turnId, customerId: turn.customerId, channel: turn.channel, answerMode: reply.mode, grounded: reply.grounded, durationMs: BigInt(durationMs) } });
    await outbound({ case: 'completed', value: { durationMs: BigInt(durationMs) } });
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
