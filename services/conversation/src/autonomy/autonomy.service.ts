// The tenant's autonomy policy: its bars (set by admins through the gateway's /v1/autonomy) and the
// check a confirmed order action passes before the bot calls the order system alone.
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { PermanentError } from '@switchboard/messaging';
import type { AutonomyCheck } from '../dialogue/order-action.task';
import { RETAIL_FLOWS } from '../dialogue/order-flows';
import { IntentExamplesRepository } from '../intents/intent-examples.repository';
import { TurnDeadlineExceeded } from '../turns/downstream.client';
import { decideAutonomy, isActionIntent } from './autonomy-decision';
import { AutonomyRepository } from './autonomy.repository';
import { FLOWS_REVISION } from './flows-revision';

export interface AutonomyBar {
  intent: string;
  passK: number;
}

@Injectable()
export class AutonomyService implements OnApplicationBootstrap {
  constructor(
    private readonly repository: AutonomyRepository,
    private readonly intents: IntentExamplesRepository,
  ) {}

  /** Where `simulate --record` learns which flows the figures it stores were measured on. */
  async onApplicationBootstrap(): Promise<void> {
    await this.repository.noteRunningFlows(FLOWS_REVISION);
  }

  /**
   * Read on each confirmed action, so a changed bar applies from the next "yes". The knowledge
   * revision is the retrieval service's, asked only when there are figures to compare it with.
   */
  checkFor(tenantId: string, knowledgeRevision: () => Promise<number>): AutonomyCheck {
    return async (intent) => {
      const bar = (await this.repository.bars(tenantId)).get(intent) ?? 0;
      if (bar <= 0) return { act: true };
      const figures = await this.repository.figures(tenantId, intent);
      if (!figures) return decideAutonomy(intent, bar, undefined, { intents: 0, knowledge: 0, flows: FLOWS_REVISION });
      const intents = await this.intents.revision(tenantId);
      let knowledge: number;
      try {
        knowledge = await knowledgeRevision();
      } catch (error) {
        // Figures that cannot be shown current are not trusted: a person approves instead.
        if (error instanceof TurnDeadlineExceeded) throw error;
        return { act: false, why: `${intent} needs pass^k ${bar.toFixed(2)}; the knowledge base's revision could not be read` };
      }
      return decideAutonomy(intent, bar, figures, { intents, knowledge, flows: FLOWS_REVISION });
    };
  }

  async bars(tenantId: string): Promise<AutonomyBar[]> {
    return [...(await this.repository.bars(tenantId))].map(([intent, passK]) => ({ intent, passK }));
  }

  /** Replaces the tenant's bars; an unknown intent or a repeated one is refused, naming the field. */
  async putBars(tenantId: string, bars: AutonomyBar[]): Promise<AutonomyBar[]> {
    const seen = new Set<string>();
    bars.forEach((bar, i) => {
      if (!isActionIntent(bar.intent))
        throw new PermanentError(
          'INVALID_ARGUMENT',
          `bars[${i}].intent: "${bar.intent}" is not an order flow (${Object.keys(RETAIL_FLOWS).join(', ')})`,
        );
      if (seen.has(bar.intent)) throw new PermanentError('INVALID_ARGUMENT', `bars[${i}].intent: ${bar.intent} is listed twice`);
      seen.add(bar.intent);
    });
    await this.repository.putBars(tenantId, bars);
    return this.bars(tenantId);
  }
}
