// The overview's "with the bot now", asked of the conversation service (request-reply): how many of
// the caller's tenant's conversations the bot holds and were active in the service's window. Bot
// conversations have no department, so a supervisor sees the whole tenant's count.
import { Injectable } from '@nestjs/common';
import { CountBotConversationsRequestSchema, create, Rpcs } from '@switchboard/contracts';
import { RpcClient } from '@switchboard/messaging';
import type { Principal } from '../auth/roles';

const TIMEOUT_MS = 15_000;

@Injectable()
export class BotConversationsService {
  constructor(private readonly rpc: RpcClient) {}

  /** `{count, windowMinutes, scope: "tenant"}`. */
  async count(caller: Principal) {
    const result = await this.rpc.request(
      Rpcs.conversationBotCount,
      create(CountBotConversationsRequestSchema, { tenantId: caller.tenantId }),
      { timeoutMs: TIMEOUT_MS },
    );
    return { count: result.count, windowMinutes: result.windowMinutes, scope: 'tenant' as const };
  }
}
