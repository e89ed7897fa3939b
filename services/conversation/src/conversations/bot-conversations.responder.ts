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
    // messages_by_conversation (tenant_id, conversation_id, created_at) answers each exists().
    const rows: Array<{ n: number }> = await this.db.query(
      `select count(*)::int as n from conversation.conversations c
       where c.tenant_id = $1 and c.status = 'bot'
         and exists (select 1 from conversation.messages m
                     where m.tenant_id = c.tenant_id and m.conversation_id = c.id and m.role in ('customer', 'bot')
                       and m.created_at > now() - make_interval(mins => $2))`,
      [tenantId, windowMinutes],
    );
    return create(BotConversationCountSchema, { count: rows[0]?.n ?? 0, windowMinutes });
  }
}
