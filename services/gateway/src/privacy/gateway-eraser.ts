// What the gateway keeps in Redis about a customer or a conversation, and what erasing it removes:
// - t:<tenant>:rl:customer:<customer id>: the customer's rate-limit window (limits/) — by customer;
// - t:<tenant>:conv:<conversation id>:events: the conversation's event stream, replies included
//   (streams/) — by conversation, and by customer for the conversations the owner records name;
// - gateway.conversation_owners: who opened each conversation (blind index of the customer id) —
//   by customer and by conversation. Streams of conversations opened before owner records existed
//   cannot be found from a customer id: they expire (see STREAM_KEPT).
// Idempotency records (t:<tenant>:idem:<client message id>) hold only ids and expire in 24 hours.
import { Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import type { ErasureCommand } from '@switchboard/contracts';
import { ConversationStreamStore } from '../streams/conversation-stream.store';
import { ConversationOwnerRepository } from '../conversations/conversation-owner.repository';
import type { ErasureOutcome } from '@switchboard/contracts';

const STREAM_KEPT =
  'redis:conversation_stream: streams of conversations opened before the gateway recorded owners are not indexed by customer id; each expires 7 days after its last event (erasing by conversation id removes them at once)';
const IDEMPOTENCY_KEPT =
  'redis:idempotency: records of accepted client message ids hold ids only, no content; they expire 24 hours after the message';

@Injectable()
export class GatewayEraser {
  constructor(
    private readonly redis: Redis,
    private readonly streams: ConversationStreamStore,
    private readonly owners: ConversationOwnerRepository,
  ) {}

  async erase(command: ErasureCommand): Promise<ErasureOutcome> {
    const { tenantId } = command;
    if (command.customerId !== '') {
      const limits = await this.redis.del(`t:${tenantId}:rl:customer:${command.customerId}`);
      const conversations = await this.owners.eraseCustomer(tenantId, command.customerId);
      const streams = conversations.length > 0 ? await this.redis.del(...conversations.map((id) => this.streams.key(tenantId, id))) : 0;
      return {
        removed: {
          'redis:rate_limit_window': limits,
          'postgres:conversation_owner': conversations.length,
          'redis:conversation_stream': streams,
        },
        kept: [STREAM_KEPT, IDEMPOTENCY_KEPT],
      };
    }
    const owners = await this.owners.eraseConversations(tenantId, command.conversationIds);
    const streams = await this.redis.del(...command.conversationIds.map((id) => this.streams.key(tenantId, id)));
    return { removed: { 'redis:conversation_stream': streams, 'postgres:conversation_owner': owners }, kept: [IDEMPOTENCY_KEPT] };
  }
}
