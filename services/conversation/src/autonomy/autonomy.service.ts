// The tenant's autonomy policy: its bars (set by admins through the gateway's /v1/autonomy) and the
// check a confirmed order action passes before the bot calls the order system alone.
import { Injectable } from '@nestjs/common';
import { PermanentError } from '@switchboard/messaging';
import type { AutonomyCheck } from '../dialogue/order-action.task';
import { RETAIL_FLOWS } from '../dialogue/order-flows';
import { IntentExamplesRepository } from '../intents/intent-examples.repository';
import { decideAutonomy, isActionIntent } from './autonomy-decision';
import { AutonomyRepository } from './autonomy.repository';

export interface AutonomyBar {
  intent: string;
  passK: number;
}

@Injectable()
export class AutonomyService {
  constructor(
    private readonly repository: AutonomyRepository,
    private readonly intents: IntentExamplesRepository,
  ) {}

  /** Read on each confirmed action, so a changed bar applies from the next "yes". */
  checkFor(tenantId: string): AutonomyCheck {
    return async (intent) => {
      const bar = (await this.repository.bars(tenantId)).get(intent) ?? 0;
      if (bar <= 0) return { act: true };
      const [figures, revision] = await Promise.all([this.repository.figures(tenantId, intent), this.intents.revision(tenantId)]);
      return decideAutonomy(intent, bar, figures, revision);
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
