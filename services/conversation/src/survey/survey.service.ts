// The satisfaction survey the bot offers when the customer closes a conversation, or when an agent
// resolves its hand-off ticket (the tenant's setting, stamped on each turn by the gateway as
// InboundTurn.offer_survey_on_resolve). At most one offer per conversation, and none once it is
// rated: the offer is claimed in Postgres. The customer's next message, when it is a rating, is recorded through RatingService, the same path
// as the public RateConversation call, so the two record one rating between them; anything else
// drops the survey and is answered as a normal turn.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  create,
  MAX_RATING_COMMENT,
  OutboundEventSchema,
  RateConversationCommandSchema,
  Topics,
  type InboundTurn,
  type RateConversationOutcome,
} from '@switchboard/contracts';
import { Outbox } from '@switchboard/persistence';
import { ConversationRepository } from '../conversations/conversation.repository';
import { RatingService } from '../ratings/rating.service';
import { languageOf, phrasebook } from '../turns/replies';
import { closesConversation, ratingIn } from './survey-replies';

@Injectable()
export class SurveyService {
  constructor(
    private readonly db: DataSource,
    private readonly ratings: RatingService,
    private readonly conversations: ConversationRepository,
    private readonly outbox: Outbox,
  ) {}

  /**
   * An agent resolved the conversation's hand-off ticket: the survey is offered on the customer's
   * stream (a bot message of no turn) when the setting was on at their latest message, the bot or
   * nobody holds the conversation (an agent still holding it talks to the customer themselves), and
   * it was neither offered nor rated before. The claim, the stored message and its event commit together.
   */
  async offerAfterResolution(tenantId: string, conversationId: string): Promise<boolean> {
    // The conversation's language: the customer's latest words, else the locale of its first message.
    const lastWords = await this.conversations.lastCustomerText(tenantId, conversationId);
    const offered = await this.db.transaction(async (m) => {
      const [claimed]: [Array<{ locale: string }>, number] = await m.query(
        `update conversation.conversations c set survey = 'offered'
         where c.tenant_id = $1 and c.id = $2 and c.survey is null and c.offer_survey and c.status in ('bot', 'handed_off')
           and not exists (select 1 from conversation.ratings r where r.tenant_id = c.tenant_id and r.conversation_id = c.id)
         returning c.locale`,
        [tenantId, conversationId],
      );
      if (claimed.length === 0) return false;
      const text = phrasebook(languageOf(lastWords, claimed[0].locale)).surveyOfferResolved;
      await this.conversations.insertBotMessage(m, tenantId, conversationId, text);
      await this.outbox.stage(
        m,
        Topics.outbound,
        create(OutboundEventSchema, {
          tenantId,
          event: {
            eventId: randomUUID(),
            conversationId,
            // No customer turn asked for it: it reaches the customer's SubscribeConversation stream.
            turnId: '',
            occurredAt: new Date().toISOString(),
            kind: { case: 'reply', value: { text, mode: 'template', grounded: false, sources: [] } },
          },
        }),
        { conversationId },
      );
      return true;
    });
    if (offered) await this.outbox.flush();
    return offered;
  }

  /**
   * Whether this turn offers the survey: the tenant wants it, the customer closes ("thanks, that's
   * all") after the bot has answered them, and the conversation has neither been offered it nor
   * been rated. True claims the one offer, so a redelivered or concurrent turn never offers again.
   */
  async offersOn(turn: InboundTurn, text: string, botAnswered: boolean): Promise<boolean> {
    if (!turn.offerSurveyOnResolve || !botAnswered || !closesConversation(text)) return false;
    const [claimed]: [unknown[], number] = await this.db.query(
      `update conversation.conversations c set survey = 'offered'
       where c.tenant_id = $1 and c.id = $2 and c.survey is null
         and not exists (select 1 from conversation.ratings r where r.tenant_id = c.tenant_id and r.conversation_id = c.id)
       returning 1`,
      [turn.tenantId, turn.conversationId],
    );
    return claimed.length > 0;
  }

  /**
   * The customer's message after the offer: their rating (recorded once, for their own
   * conversation) when it is one, otherwise undefined. Either way the offer is closed: a customer
   * who moves on is not asked again. The rating is recorded before the offer closes, so a turn
   * redelivered after a crash records it then (a repeat is a duplicate, not a second rating).
   */
  async answer(turn: InboundTurn, text: string): Promise<RateConversationOutcome | undefined> {
    const rows: Array<{ survey: string | null }> = await this.db.query(
      // Only the conversation's own customer on its own channel answers its survey.
      'select survey from conversation.conversations where tenant_id = $1 and id = $2 and customer_id = $3 and channel = $4',
      [turn.tenantId, turn.conversationId, turn.customerId, turn.channel],
    );
    if (rows[0]?.survey !== 'offered') return undefined;
    const read = ratingIn(text);
    const outcome = read
      ? await this.ratings.rate(
          create(RateConversationCommandSchema, {
            tenantId: turn.tenantId,
            conversationId: turn.conversationId,
            customerId: turn.customerId,
            channel: turn.channel,
            rating: read.rating,
            // The public call refuses longer comments and control characters; a chat message may have both.
            comment: read.comment.replace(/\p{Cc}+/gu, ' ').slice(0, MAX_RATING_COMMENT),
          }),
        )
      : undefined;
    await this.db.query(`update conversation.conversations set survey = 'closed' where tenant_id = $1 and id = $2`, [
      turn.tenantId,
      turn.conversationId,
    ]);
    return outcome;
  }
}
