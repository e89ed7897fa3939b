// A customer's satisfaction rating of their own conversation: checked against the stored
// conversation (tenant, channel and customer must all match, so one customer cannot rate
// another's), recorded once, and announced as a `rated` lifecycle event in the same transaction
// (outbox) for analytics. A repeat returns the first rating, unchanged. The comment is sealed to
// its conversation (enc:v2), so a comment copied onto another conversation's rating does not read.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  ConversationLifecycleEventSchema,
  create,
  type ConversationErrorCode,
  type ErrorCodeName,
  RateConversationOutcomeSchema,
  Rpcs,
  Topics,
  type RateConversationCommand,
  type RateConversationOutcome,
} from '@switchboard/contracts';
import { FieldCipher, type EncryptionConfig } from '@switchboard/crypto';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, PermanentError, serveRpc } from '@switchboard/messaging';
import { Outbox } from '@switchboard/persistence';
import { CONFIG, LOGGER } from '@switchboard/platform';

export const RATING_COMMENT = 'conversation.ratings.comment';

export class RatingError extends PermanentError {
  constructor(
    override readonly code: ErrorCodeName<typeof ConversationErrorCode>,
    message: string,
  ) {
    super(code, message);
    this.name = 'RatingError';
  }
}

@Injectable()
export class RatingService implements OnApplicationBootstrap {
  private readonly cipher: FieldCipher;

  constructor(
    private readonly bus: KafkaBus,
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    @Inject(CONFIG) config: EncryptionConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.cipher = FieldCipher.fromConfig(config);
  }

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.conversationRate, (command) => this.rate(command), this.log);
  }

  async rate(command: RateConversationCommand): Promise<RateConversationOutcome> {
    const { tenantId, conversationId } = command;
    const outcome = await this.db.transaction(async (m) => {
      const owned: unknown[] = await m.query(
        'select 1 from conversation.conversations where tenant_id = $1 and id = $2 and customer_id = $3 and channel = $4 for update',
        [tenantId, conversationId, command.customerId, command.channel],
      );
      // The same answer whether it does not exist or belongs to someone else: no probing for ids.
      if (owned.length === 0)
        throw new RatingError(
          'CONVERSATION_NOT_FOUND',
          `conversation ${conversationId} is not one of this customer's conversations on channel ${command.channel}`,
        );
      const comment =
        command.comment.trim() === ''
          ? null
          : this.cipher.seal(command.comment.trim(), { tenantId, column: RATING_COMMENT, row: conversationId });
      const inserted: unknown[] = await m.query(
        `insert into conversation.ratings (tenant_id, conversation_id, customer_id, rating, comment) values ($1, $2, $3, $4, $5) on conflict do nothing returning 1`,
        [tenantId, conversationId, command.customerId, command.rating, comment],
      );
      if (inserted.length === 0) {
        const [first]: Array<{ rating: number }> = await m.query(
          'select rating from conversation.ratings where tenant_id = $1 and conversation_id = $2',
          [tenantId, conversationId],
        );
        return create(RateConversationOutcomeSchema, { conversationId, rating: first.rating, duplicate: true });
      }
      await this.outbox.stage(
        m,
        Topics.conversationEvents,
        create(ConversationLifecycleEventSchema, {
          tenantId,
          conversationId,
          eventId: randomUUID(),
          occurredAt: new Date().toISOString(),
          kind: {
            case: 'rated',
            value: { customerId: command.customerId, channel: command.channel, rating: command.rating, hasComment: comment !== null },
          },
        }),
        { conversationId },
      );
      return create(RateConversationOutcomeSchema, { conversationId, rating: command.rating, duplicate: false });
    });
    if (!outcome.duplicate) await this.outbox.flush();
    return outcome;
  }
}
