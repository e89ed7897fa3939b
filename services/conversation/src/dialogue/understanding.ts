// Reads one customer message against the dialogue state: which details it gives (they fill the
// state's slots), which task it asks for, and how the customer feels. A message that answers the
// bot's question ("it's #W2378156") continues the task in hand instead of being classified afresh.
import { Inject, Injectable } from '@nestjs/common';
import { extractEntities, sentimentOf, type Entity } from '@switchboard/nlu';
import { CONFIG } from '@switchboard/platform';
import type { ConversationConfig } from '../config';
import { IntentModels } from '../intents/intent-models';
import type { Language } from '../turns/replies';
import { focusOrder, otherOrder, refersToOtherOne, type DialogueState, type SlotName } from './dialogue-state';

export interface Understanding {
  /** The task this message is about: a confident prediction, or the task it continues. */
  intent?: string;
  confidence: number;
  /** True when the classifier was not confident and the message continued nothing. */
  unsure: boolean;
  /** The likeliest intents, best first, for a clarifying question. */
  likely: string[];
  frustration: number;
  /** Slots this message filled. */
  filled: SlotName[];
}

const SLOT_OF: Partial<Record<Entity['type'], SlotName>> = { order_id: 'order_id', email: 'email', name: 'name', zip: 'zip' };

@Injectable()
export class Understander {
  constructor(private readonly models: IntentModels, @Inject(CONFIG) private readonly config: ConversationConfig) {}

  /**
   * `raw` is the customer's own text (details such as an email are read from it and kept only in
   * the dialogue state); `redacted` is what moderation let through, the only text classified.
   */
  async understand(tenantId: string, raw: string, redacted: string, language: Language, state: DialogueState): Promise<Understanding> {
    const filled = fillSlots(state, extractEntities(raw));
    let continues = state.awaiting?.kind === 'slots' && filled.some((slot) => (state.awaiting as { slots: SlotName[] }).slots.includes(slot));
    if (refersToOtherOne(redacted)) {
      const other = otherOrder(state);
      if (other) {
        focusOrder(state, other);
        continues = true;
      }
    }
    const prediction = await this.models.classify(tenantId, redacted, language);
    const confident = prediction.confidence >= this.config.INTENT_CONFIDENCE_MIN;
    const likely = [prediction.label, ...prediction.alternatives.map((a) => a.label)];
    const { frustration } = sentimentOf(redacted);
    // An answer to the bot's question ("it's #W2378156") keeps the task in hand, whatever the
    // classifier makes of a bare detail; anything else is read afresh.
    let intent: string | undefined;
    if (continues && state.intent) intent = state.intent;
    else if (confident) intent = prediction.label;
    return { intent, confidence: prediction.confidence, unsure: intent === undefined, likely, frustration, filled };
  }
}

export const HUMAN_INTENT = 'talk_to_human';

const IDENTITY_SLOTS: readonly SlotName[] = ['email', 'name', 'zip'];

function fillSlots(state: DialogueState, entities: Entity[]): SlotName[] {
  const filled: SlotName[] = [];
  for (const entity of entities) {
    const slot = SLOT_OF[entity.type];
    if (!slot || filled.includes(slot)) continue;
    // New identity details mean the account is looked up again: whoever they were recognised as
    // before (in this or an earlier conversation) no longer counts.
    if (IDENTITY_SLOTS.includes(slot) && state.verifiedUserId) forgetIdentity(state);
    if (slot === 'order_id') focusOrder(state, entity.value);
    else state.slots[slot] = entity.value;
    filled.push(slot);
  }
  return filled;
}

function forgetIdentity(state: DialogueState): void {
  state.verifiedUserId = undefined;
  state.firstName = undefined;
  state.tier = undefined;
  state.knownOrderIds = [];
  state.lastOrderId = undefined;
  for (const slot of IDENTITY_SLOTS) delete state.slots[slot];
}
