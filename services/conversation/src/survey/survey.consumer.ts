// Offers the satisfaction survey when an agent resolves a hand-off ticket (ticket.events.v1
// `resolved`, which names the ticket's conversation). The other ticket events are not the
// conversation service's business.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Topics } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { SurveyService } from './survey.service';

@Injectable()
export class SurveyConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly survey: SurveyService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.subscribe(
      Topics.ticketEvents,
      async ({ message }) => {
        // A ticket resolved before tickets named their conversation has nothing to offer on.
        if (message.kind.case !== 'resolved' || message.kind.value.conversationId === '') return;
        const { conversationId } = message.kind.value;
        if (await this.survey.offerAfterResolution(message.tenantId, conversationId))
          this.log.info(
            { tenantId: message.tenantId, conversationId, ticketId: message.ticketId },
            'survey offered after the ticket was resolved',
          );
      },
      { concurrency: 3, maxAttempts: 8 },
    );
  }
}
