// RateConversation: an adapter submits its customer's rating (1-5, optional comment) of one of
// their conversations. Validated here, naming the field; the conversation service decides whether
// the conversation is this customer's (tenant, channel and customer must match the stored one),
// records it once and emits the `rated` event.
import { Injectable } from '@nestjs/common';
import { create, RateConversationCommandSchema, Rpcs, type AnyRpcTopic } from '@switchboard/contracts';
import { RpcClient, RpcRemoteError, RpcTimeoutError } from '@switchboard/messaging';
import type { Caller } from '../auth/api-key.service';
import { GatewayError } from '../gateway.errors';

const TIMEOUT_MS = 15_000;

export interface RateConversationInput {
  conversationId?: string;
  customerId?: string;
  channel?: string;
  rating?: number;
  comment?: string;
}

@Injectable()
export class ConversationRatingService {
  constructor(private readonly rpc: RpcClient) {}

  async rate(caller: Caller, input: RateConversationInput | null | undefined) {
    const command = create(RateConversationCommandSchema, {
      tenantId: caller.tenantId,
      conversationId: input?.conversationId ?? '',
      customerId: input?.customerId ?? '',
      channel: input?.channel ?? '',
      rating: input?.rating ?? 0,
      comment: input?.comment ?? '',
    });
    const violations = (Rpcs.conversationRate as unknown as AnyRpcTopic).validate(command);
    if (violations.length > 0) throw GatewayError.invalid(violations);
    try {
      const outcome = await this.rpc.request(Rpcs.conversationRate, command, {
        timeoutMs: TIMEOUT_MS,
        conversationId: command.conversationId,
      });
      return { conversationId: outcome.conversationId, rating: outcome.rating, duplicate: outcome.duplicate };
    } catch (error) {
      if (error instanceof RpcRemoteError && error.code === 'CONVERSATION_NOT_FOUND') throw new GatewayError('NOT_FOUND', error.message);
      if (error instanceof RpcTimeoutError)
        throw new GatewayError('UNAVAILABLE', 'the rating could not be recorded in time; retry it (it is recorded once)');
      throw error;
    }
  }
}
