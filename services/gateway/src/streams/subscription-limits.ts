// Caps on open SubscribeConversation streams, per API key and per conversation, counted by this
// gateway process (each replica enforces them for the streams it serves). Past a cap the call is
// refused with RESOURCE_EXHAUSTED naming the limit, before any stream is read.
import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@switchboard/platform';
import type { Caller } from '../auth/api-key.service';
import type { GatewayConfig } from '../config';
import { GatewayError } from '../gateway.errors';

export type SubscriptionLimitsConfig = Pick<GatewayConfig, 'SUBSCRIPTIONS_PER_KEY' | 'SUBSCRIPTIONS_PER_CONVERSATION'>;

@Injectable()
export class SubscriptionLimits {
  private readonly perKey = new Map<string, number>();
  private readonly perConversation = new Map<string, number>();

  constructor(@Inject(CONFIG) private readonly config: SubscriptionLimitsConfig) {}

  /** Takes one stream slot for the caller and conversation; call the returned function once it ends. */
  open(caller: Caller, conversationId: string): () => void {
    const conversation = `${caller.tenantId}:${conversationId}`;
    if ((this.perKey.get(caller.keyId) ?? 0) >= this.config.SUBSCRIPTIONS_PER_KEY) {
      throw new GatewayError(
        'RESOURCE_EXHAUSTED',
        `this API key already has ${this.config.SUBSCRIPTIONS_PER_KEY} open SubscribeConversation streams (limit SUBSCRIPTIONS_PER_KEY); close one first`,
      );
    }
    if ((this.perConversation.get(conversation) ?? 0) >= this.config.SUBSCRIPTIONS_PER_CONVERSATION) {
      throw new GatewayError(
        'RESOURCE_EXHAUSTED',
        `conversation ${conversationId} already has ${this.config.SUBSCRIPTIONS_PER_CONVERSATION} open SubscribeConversation streams (limit SUBSCRIPTIONS_PER_CONVERSATION); close one first`,
      );
    }
    bump(this.perKey, caller.keyId, 1);
    bump(this.perConversation, conversation, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      bump(this.perKey, caller.keyId, -1);
      bump(this.perConversation, conversation, -1);
    };
  }
}

/** Adds `by` to a counter, forgetting it at zero so the maps hold only open streams. */
function bump(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}
