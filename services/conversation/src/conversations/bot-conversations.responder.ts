// Answers conversation.bot_count.v1, the console overview's "with the bot now": the tenant's
// conversations the bot holds (status "bot", so neither handed off nor held by an agent) with a
// customer or bot message in the last BOT_ACTIVE_WINDOW_MINUTES. A conversation has no end the
// customer announces, so recent activity is what "now" can mean. Bot conversations belong to no
// department: the count is the whole tenant's.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BotConversationCountSchema, create, Rpcs, type BotConversationCount } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { ConversationConfig } from '../config';

@Injectable()
export class BotConversationsResponder implements OnApplicationBootstrap {
  constructor(
    private readonly db: DataSource,
    private readonly bus: KafkaBus,
    @Inject(CONFIG) private readonly config: Pick<ConversationConfig, 'BOT_ACTIVE_WINDOW_MINUTES'>,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.conversationBotCount, (r) => this.count(r.tenantId), this.log);
  }

  async count(tenantId: string): Promise<BotConversationCount> {
    const windowMinutes = this.config.BOT_ACTIVE_WINDOW_MINUTES;
    // From the window's messages (messages_by_time), not from the conversations: a conversation
    // the bot finished keeps its status, so starting there would walk the tenant's whole history.
    const rows: Array<{ n: number }> = await this.db.query(
      `select count(distinct m.conversation_id)::int as n
       from conversation.messages m
       join conversation.conversations c on c.tenant_id = m.tenant_id and c.id = m.conversation_id
       where m.tenant_id = $1 and m.created_at > now() - make_interval(mins => $2)
         and m.role in ('customer', 'bot') and c.status = 'bot'`,
      [tenantId, windowMinutes],
    );
    return create(BotConversationCountSchema, { count: rows[0]?.n ?? 0, windowMinutes });
  }
}
