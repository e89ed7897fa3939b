// Dialogue state per conversation in Redis, as JSON under the tenant's key space. One
// conversation's turns are handled in order (Kafka key = conversation id), so a plain
// read-modify-write per turn cannot race with itself.
//
// What the CRM established about a customer (who they are, their orders, their tier) is also kept
// per customer id, so their next conversation starts from it and they are not asked again. The
// customer id is asserted by the channel adapter, which authenticates with the tenant's API key:
// an adapter that lets customers choose their own id must not be given the `chat` scope.
//
// Both hold customer content (recent turns, slots taken from the customer's words such as an email,
// the verified user, their first name and orders), so both are stored encrypted with the service's
// field cipher, bound to the tenant and to their Redis key: a value copied to another conversation's
// or customer's key does not decrypt. A value that does not decrypt (altered, moved, under a key no
// longer configured, or plaintext in production) is treated as no state: the customer is asked
// again (and verified again) rather than the turn failing.
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { CryptoError, FieldCipher, type FieldContext } from '@switchboard/crypto';
import type { Logger } from '@switchboard/logging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { ConversationConfig } from '../config';
import { emptyState, type DialogueState } from './dialogue-state';

/** The part of a state that outlives its conversation. */
type KnownCustomer = Pick<DialogueState, 'verifiedUserId' | 'firstName' | 'tier' | 'knownOrderIds' | 'lastOrderId'>;

/** Associated-data names of the two values, as `libs/crypto` binds a value to where it lives. */
export const DIALOGUE_STATE_FIELD = 'redis.dialogue_state';
export const KNOWN_CUSTOMER_FIELD = 'redis.known_customer';

@Injectable()
export class DialogueStateStore {
  private readonly cipher: FieldCipher;

  constructor(
    private readonly redis: Redis,
    @Inject(CONFIG) private readonly config: ConversationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.cipher = FieldCipher.fromConfig(config);
  }

  async load(tenantId: string, conversationId: string, customerId: string): Promise<DialogueState> {
    const key = this.key(tenantId, conversationId);
    const state = this.read<Partial<DialogueState>>(await this.redis.get(key), { tenantId, column: DIALOGUE_STATE_FIELD, row: key });
    if (state) return { ...emptyState(), ...state };
    const customerKey = this.customerKey(tenantId, customerId);
    const known = this.read<KnownCustomer>(await this.redis.get(customerKey), { tenantId, column: KNOWN_CUSTOMER_FIELD, row: customerKey });
    return known ? { ...emptyState(), ...known } : emptyState();
  }

  async save(tenantId: string, conversationId: string, customerId: string, state: DialogueState): Promise<void> {
    const key = this.key(tenantId, conversationId);
    const writes = this.redis
      .multi()
      .set(key, this.write(state, { tenantId, column: DIALOGUE_STATE_FIELD, row: key }), 'EX', this.config.DIALOGUE_STATE_TTL_S);
    if (state.verifiedUserId) {
      const known: KnownCustomer = {
        verifiedUserId: state.verifiedUserId,
        firstName: state.firstName,
        tier: state.tier,
        knownOrderIds: state.knownOrderIds,
        lastOrderId: state.lastOrderId,
      };
      const customerKey = this.customerKey(tenantId, customerId);
      writes.set(
        customerKey,
        this.write(known, { tenantId, column: KNOWN_CUSTOMER_FIELD, row: customerKey }),
        'EX',
        this.config.KNOWN_CUSTOMER_TTL_S,
      );
    }
    await writes.exec();
  }

  private write(value: object, ctx: FieldContext): string {
    return this.cipher.seal(JSON.stringify(value), ctx);
  }

  /** The stored value, decrypted (plaintext JSON written before encryption reads as is, outside production); undefined when absent or unreadable. */
  private read<T>(stored: string | null, ctx: FieldContext): T | undefined {
    if (!stored) return undefined;
    try {
      return JSON.parse(this.cipher.decrypt(stored, ctx)) as T;
    } catch (error) {
      // A crypto error names the field, key id and tenant; a JSON error could quote the content.
      this.log.warn(
        { tenantId: ctx.tenantId, reason: error instanceof CryptoError ? error.message : 'not JSON' },
        `${ctx.column}: the stored value cannot be read; continuing without it`,
      );
      return undefined;
    }
  }

  private key(tenantId: string, conversationId: string): string {
    return `t:${tenantId}:conv:${conversationId}:state`;
  }

  private customerKey(tenantId: string, customerId: string): string {
    return `t:${tenantId}:customer:${customerId}:known`;
  }
}
