// Analytics' part of an erasure (a customer's request, or the retention sweep's conversations).
// The facts hold no text; the one personal datum is the customer id, which links conversations
// to a person. It is cleared, so the counts of past periods stay as they were while nothing here
// can be tied to the customer any more.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ErasureCommand, ErasureOutcome } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus } from '@switchboard/messaging';
import { consumeErasures, Outbox } from '@switchboard/persistence';
import { LOGGER } from '@switchboard/platform';

const KEPT = [
  'analytics facts (conversations, turns, hand-offs, tickets, ratings): kept without the customer id; they hold ids, times and dimensions only, never text, so the KPIs of past periods do not change',
];

@Injectable()
export class AnalyticsEraser implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await consumeErasures(this.bus, this.db, this.outbox, 'analytics', this.log, (m, command) => this.erase(m, command));
  }

  async erase(m: EntityManager, command: ErasureCommand): Promise<ErasureOutcome> {
    const { tenantId } = command;
    const [match, value] =
      command.customerId !== '' ? ['customer_id = $2', command.customerId] : ['conversation_id = any($2::uuid[])', command.conversationIds];
    const clear = async (table: string) => {
      const [{ n }]: Array<{ n: number }> = await m.query(
        `with cleared as (update analytics.${table} set customer_id = '' where tenant_id = $1 and ${match} and customer_id <> '' returning 1) select count(*)::int as n from cleared`,
        [tenantId, value],
      );
      return n;
    };
    return {
      removed: {
        'analytics.conversations.customer_id': await clear('conversations'),
        'analytics.tickets.customer_id': await clear('tickets'),
      },
      kept: KEPT,
    };
  }
}
