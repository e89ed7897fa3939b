// Whether a caller may write into or follow a conversation: only its owner (tenant, channel and
// customer that opened it) may. Anyone else is told the conversation does not exist (NOT_FOUND,
// the same answer as for an unknown id, so probing reveals nothing), and the refusal is audited.
import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/api-key.service';
import { AuditTrail } from '../audit/audit-trail.service';
import { GatewayError } from '../gateway.errors';
import { ConversationOwnerRepository, sameOwner, type ConversationOwner } from './conversation-owner.repository';

/** The audit detail of a refused cross-customer call: a code, never who the owner is. */
export const OTHER_OWNER = 'CONVERSATION_OF_ANOTHER_CUSTOMER';

export const conversationNotFound = (conversationId: string) =>
  new GatewayError('NOT_FOUND', `conversation ${conversationId} was not found`);

@Injectable()
export class ConversationAccess {
  constructor(
    private readonly owners: ConversationOwnerRepository,
    private readonly audit: AuditTrail,
  ) {}

  ownerOf(caller: Caller, customerId: string, channel: string): ConversationOwner {
    return this.owners.ownerOf(caller.tenantId, customerId, channel);
  }

  /** A message into `conversationId`: opens it for `owner` when new, else only its owner passes. */
  async admitMessage(caller: Caller, conversationId: string, owner: ConversationOwner): Promise<void> {
    const standing = await this.owners.claim(caller.tenantId, conversationId, owner);
    if (!sameOwner(standing, owner)) await this.refuse(caller, 'conversation.message', conversationId);
  }

  /** A subscription: the conversation must exist and be `owner`'s. */
  async admitFollower(caller: Caller, conversationId: string, owner: ConversationOwner): Promise<void> {
    const standing = await this.owners.find(caller.tenantId, conversationId);
    if (!standing) throw conversationNotFound(conversationId);
    if (!sameOwner(standing, owner)) await this.refuse(caller, 'conversation.subscribe', conversationId);
  }

  /** Audits a refused cross-customer call and throws what the caller sees. */
  async refuse(caller: Caller, action: string, conversationId: string, detail = OTHER_OWNER): Promise<never> {
    await this.audit.record({
      tenantId: caller.tenantId,
      actor: { kind: 'api_key', id: caller.keyId },
      action,
      resource: { type: 'conversation', id: conversationId },
      outcome: 'refused',
      detail,
    });
    throw conversationNotFound(conversationId);
  }
}
