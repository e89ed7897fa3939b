// The agents' desk: tickets (ticketing) and conversations (conversation) over request-reply. The
// signed-in user decides the tenant, who acts (their username is the agent id on tickets), which
// departments' tickets they reach and how much of a customer's contact details they see. A
// conversation is reached through its ticket, so the same department scope applies to it.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AddTicketNoteRequestSchema,
  AgentMessageRequestSchema,
  AgentSessionRequestSchema,
  ApprovalSchema,
  ChangeTicketStatusRequestSchema,
  DecideApprovalRequestSchema,
  ClaimTicketRequestSchema,
  create,
  GetTicketRequestSchema,
  GetTranscriptRequestSchema,
  ListApprovalsRequestSchema,
  ListTicketsRequestSchema,
  Rpcs,
  SearchRequestSchema,
  TicketSchema,
  ToolCallRequestSchema,
  type AnyRpcTopic,
  type Approval,
  type DescMessage,
  type MessageShape,
  type RpcTopic,
  type Ticket,
} from '@switchboard/contracts';
import { RpcClient, RpcRemoteError } from '@switchboard/messaging';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import { movesOthersTickets, seesVerifiedContactDetails, type Principal, type Role } from '../auth/roles';
import { GatewayError } from '../gateway.errors';
import { jsonBody } from '../http/json-body';
import { MentionsService } from '../mentions/mentions.service';
import { scopeOf } from './desk-scope';
import { maskAccount, maskContactDetails, maskTicket } from './contact-masking';
import { draftReply } from './reply-draft';

const TIMEOUT_MS = 15_000;

/** A signed-in agent, senior agent or supervisor. */
export type Agent = Principal & { role: Role };

/** A body field that must be a string (or absent, when `optional`). */
function text(body: Record<string, unknown>, field: string, optional = false): string {
  const value = body[field];
  if (value === undefined && optional) return '';
  if (typeof value !== 'string') throw GatewayError.invalid([{ field, problem: optional ? 'must be a string' : 'is required (a string)' }]);
  return value;
}

const ticketNotFound = (id: string) => new RpcRemoteError(Rpcs.ticketGet.name, 'TICKET_NOT_FOUND', `ticket ${id} not found`);
const conversationNotFound = (id: string) =>
  new RpcRemoteError(
    Rpcs.conversationTranscript.name,
    'CONVERSATION_NOT_FOUND',
    `conversation ${id} not found, or it has no ticket in your departments`,
  );

@Injectable()
export class AgentsService {
  constructor(
    private readonly rpc: RpcClient,
    readonly audit?: AuditTrail,
    private readonly mentions?: MentionsService,
  ) {}

  @Audited('ticket.list', 'ticket')
  async listTickets(agent: Agent, query: { status?: string; department?: string; limit?: string }) {
    const limit = query.limit === undefined ? 0 : Number(query.limit);
    if (!Number.isInteger(limit)) throw GatewayError.invalid([{ field: 'limit', problem: 'must be a whole number between 1 and 200' }]);
    const scope = scopeOf(agent);
    if (query.department && scope && !scope.includes(query.department))
      throw new GatewayError('PERMISSION_DENIED', `department "${query.department}" is not one of yours (${scope.join(', ')})`);
    const result = await this.request(
      Rpcs.ticketList,
      create(ListTicketsRequestSchema, {
        tenantId: agent.tenantId,
        status: query.status ?? '',
        department: query.department ?? '',
        limit,
        departments: scope ?? [],
      }),
    );
    result.tickets.forEach((ticket) => this.asSeenBy(agent, ticket));
    return jsonBody(Rpcs.ticketList.response, result);
  }

  @Audited('ticket.read', 'ticket', 1)
  async getTicket(agent: Agent, ticketId: string) {
    return jsonBody(Rpcs.ticketGet.response, this.asSeenBy(agent, await this.ticketInScope(agent, ticketId)));
  }

  @Audited('ticket.claim', 'ticket', 1)
  async claim(agent: Agent, ticketId: string) {
    await this.ticketInScope(agent, ticketId);
    return this.ticketCall(
      agent,
      Rpcs.ticketClaim,
      create(ClaimTicketRequestSchema, { tenantId: agent.tenantId, ticketId, agentId: agent.actor.id }),
    );
  }

  @Audited('ticket.note.add', 'ticket', 1)
  async addNote(agent: Agent, ticketId: string, body: Record<string, unknown>) {
    const note = text(body, 'text');
    const { department } = await this.ticketInScope(agent, ticketId);
    // Checked before the note is added: a note with a bad @mention is not added at all. The
    // mentions are recorded first, under the id the note will have, so a browser told of the note
    // (its event) already finds them; they go again if the note is not added.
    const mentioned = (await this.mentions?.mentionable(agent, department, note)) ?? [];
    const noteId = randomUUID();
    await this.mentions?.record(agent, ticketId, noteId, mentioned);
    try {
      const ticket = await this.request(
        Rpcs.ticketNote,
        create(AddTicketNoteRequestSchema, { tenantId: agent.tenantId, ticketId, author: agent.actor.id, text: note, noteId }),
      );
      return jsonBody(Rpcs.ticketNote.response, this.asSeenBy(agent, ticket));
    } catch (error) {
      await this.mentions?.forget(agent.tenantId, noteId);
      throw error;
    }
  }

  @Audited('ticket.status.change', 'ticket', 1)
  async changeStatus(agent: Agent, ticketId: string, body: Record<string, unknown>) {
    const status = text(body, 'status');
    await this.ticketInScope(agent, ticketId);
    return this.ticketCall(
      agent,
      Rpcs.ticketStatus,
      create(ChangeTicketStatusRequestSchema, {
        tenantId: agent.tenantId,
        ticketId,
        agentId: agent.actor.id,
        status,
        lead: movesOthersTickets(agent.role),
      }),
    );
  }

  @Audited('ticket.resolve', 'ticket', 1)
  async resolve(agent: Agent, ticketId: string, body: Record<string, unknown>) {
    const resolution = text(body, 'resolution', true);
    await this.ticketInScope(agent, ticketId);
    return this.ticketCall(
      agent,
      Rpcs.ticketStatus,
      create(ChangeTicketStatusRequestSchema, {
        tenantId: agent.tenantId,
        ticketId,
        agentId: agent.actor.id,
        status: 'resolved',
        resolution,
        lead: movesOthersTickets(agent.role),
      }),
    );
  }

  /**
   * Messages with contact details masked, unless the customer's identity is proved by the channel
   * (not merely by knowing an email, or a name and zip) and the agent may see them. Every line is masked, not only the customer's: the bot repeats details it read from the
   * order system, and an agent may have quoted them.
   */
  @Audited('conversation.transcript.read', 'conversation', 1)
  async transcript(agent: Agent, conversationId: string) {
    await this.conversationInScope(agent, conversationId);
    const transcript = await this.request(
      Rpcs.conversationTranscript,
      create(GetTranscriptRequestSchema, { tenantId: agent.tenantId, conversationId }),
    );
    const clear = transcript.verifiedUserId !== '' && transcript.verifiedBy === 'channel' && seesVerifiedContactDetails(agent.role);
    if (!clear) {
      // A channel's customer id may be the customer's phone number or email (SMS, WhatsApp, mail).
      transcript.customerId = maskContactDetails(transcript.customerId);
      for (const m of transcript.messages) m.text = maskContactDetails(m.text);
    }
    return { ...(jsonBody(Rpcs.conversationTranscript.response, transcript) as object), contactDetails: clear ? 'clear' : 'masked' };
  }

  /** The verified customer's account in the order system, masked for agents without clearance. */
  @Audited('customer.account.read', 'conversation', 1)
  async customerAccount(agent: Agent, conversationId: string) {
    await this.conversationInScope(agent, conversationId);
    const transcript = await this.request(
      Rpcs.conversationTranscript,
      create(GetTranscriptRequestSchema, { tenantId: agent.tenantId, conversationId }),
    );
    const userId = transcript.verifiedUserId;
    if (userId === '')
      throw new GatewayError('NOT_FOUND', 'the customer has not proved who they are in this conversation, so no account is linked to it');
    const result = await this.request(
      Rpcs.integrationTool,
      create(ToolCallRequestSchema, {
        tenantId: agent.tenantId,
        conversationId,
        operation: 'get_user_details',
        argumentsJson: JSON.stringify({ user_id: userId }),
        verifiedUserId: userId,
      }),
    );
    if (!result.ok) throw new GatewayError('UNAVAILABLE', `the order system did not return the account: ${result.error}`);
    const account = JSON.parse(result.resultJson) as Record<string, unknown>;
    const clear = transcript.verifiedBy === 'channel' && seesVerifiedContactDetails(agent.role);
    return { userId, contactDetails: clear ? 'clear' : 'masked', account: clear ? account : maskAccount(account) };
  }

  /**
   * Suggestions for answering the customer's last message: the knowledge base's top public
   * passages (access level 0: the draft is meant for the customer) and an extractive draft. The
   * search sees the message with contact details masked, as an L1 agent would.
   */
  @Audited('conversation.suggestions.read', 'conversation', 1)
  async suggestions(agent: Agent, conversationId: string) {
    await this.conversationInScope(agent, conversationId);
    const transcript = await this.request(
      Rpcs.conversationTranscript,
      create(GetTranscriptRequestSchema, { tenantId: agent.tenantId, conversationId }),
    );
    const last = [...transcript.messages].reverse().find((m) => m.role === 'customer');
    if (!last) return { forMessage: '', passages: [], draft: '' };
    const result = await this.request(
      Rpcs.retrievalSearch,
      create(SearchRequestSchema, {
        tenantId: agent.tenantId,
        query: maskContactDetails(last.text),
        limit: 3,
        locale: transcript.locale,
        accessLevel: 0,
      }),
    );
    return {
      forMessage: last.turnId,
      passages: result.passages.map((p) => ({
        title: p.title,
        text: p.text,
        score: p.score,
        relevant: p.relevant,
        documentId: p.documentId,
        knowledgeBaseId: p.knowledgeBaseId,
      })),
      draft: draftReply(result),
    };
  }

  @Audited('conversation.takeover', 'conversation', 1)
  async takeOver(agent: Agent, conversationId: string) {
    await this.conversationInScope(agent, conversationId);
    return this.call(
      Rpcs.conversationTakeOver,
      create(AgentSessionRequestSchema, { tenantId: agent.tenantId, conversationId, agentId: agent.actor.id }),
    );
  }

  @Audited('conversation.handback', 'conversation', 1)
  async handBack(agent: Agent, conversationId: string) {
    await this.conversationInScope(agent, conversationId);
    return this.call(
      Rpcs.conversationHandBack,
      create(AgentSessionRequestSchema, { tenantId: agent.tenantId, conversationId, agentId: agent.actor.id }),
    );
  }

  @Audited('conversation.agent_message.send', 'conversation', 1)
  async sendMessage(agent: Agent, conversationId: string, body: Record<string, unknown>) {
    const message = text(body, 'text');
    await this.conversationInScope(agent, conversationId);
    return this.call(
      Rpcs.conversationAgentMessage,
      create(AgentMessageRequestSchema, { tenantId: agent.tenantId, conversationId, agentId: agent.actor.id, text: message }),
    );
  }

  /**
   * Actions the bot prepared and the customer confirmed, waiting for a person because their intent
   * is below the tenant's autonomy bar: those whose conversation has a ticket in the agent's
   * departments (the request opened one), oldest first so the longest wait is on top.
   */
  @Audited('approval.list', 'approval')
  async listApprovals(agent: Agent) {
    const { approvals } = await this.request(
      Rpcs.approvalsList,
      create(ListApprovalsRequestSchema, { tenantId: agent.tenantId, status: 'pending' }),
    );
    // One scope check per pending approval, at once rather than one after another.
    const newestFirst = approvals.reverse();
    const reachable = await Promise.all(newestFirst.map((approval) => this.inScope(agent, approval.conversationId)));
    const inScope = newestFirst.filter((_, i) => reachable[i]).map((approval) => this.approvalAsSeenBy(agent, approval));
    return { approvals: inScope.map((a) => jsonBody(ApprovalSchema, a)) };
  }

  /** Runs the prepared call once; approving a decided request changes nothing (alreadyDecided). */
  @Audited('approval.approve', 'approval', 1)
  async approve(agent: Agent, approvalId: string) {
    return this.decide(agent, approvalId, true, '');
  }

  /** The customer is told (with the reason) and handed to a person; nothing is called. */
  @Audited('approval.reject', 'approval', 1)
  async reject(agent: Agent, approvalId: string, body: Record<string, unknown>) {
    return this.decide(agent, approvalId, false, text(body, 'reason'));
  }

  private async decide(agent: Agent, approvalId: string, approve: boolean, reason: string) {
    const { approvals } = await this.request(
      Rpcs.approvalsList,
      create(ListApprovalsRequestSchema, { tenantId: agent.tenantId, approvalId }),
    );
    // Outside the agent's departments it is not found, as another tenant's would be.
    if (approvals.length === 0 || !(await this.inScope(agent, approvals[0].conversationId)))
      throw new RpcRemoteError(Rpcs.approvalsDecide.name, 'APPROVAL_NOT_FOUND', `approval ${approvalId} not found`);
    const result = await this.request(
      Rpcs.approvalsDecide,
      create(DecideApprovalRequestSchema, { tenantId: agent.tenantId, approvalId, agentId: agent.actor.id, approve, reason }),
    );
    if (result.approval) this.approvalAsSeenBy(agent, result.approval);
    return jsonBody(Rpcs.approvalsDecide.response, result);
  }

  /** The call and the confirmation quote the customer's address and orders: masked as transcripts are. */
  private approvalAsSeenBy(agent: Agent, approval: Approval): Approval {
    if (!seesVerifiedContactDetails(agent.role)) {
      approval.customerId = maskContactDetails(approval.customerId);
      approval.confirmation = maskContactDetails(approval.confirmation);
      approval.argumentsJson = maskContactDetails(approval.argumentsJson);
    }
    return approval;
  }

  private async inScope(agent: Agent, conversationId: string): Promise<boolean> {
    try {
      await this.conversationInScope(agent, conversationId);
      return true;
    } catch (error) {
      if (error instanceof RpcRemoteError && error.code === 'CONVERSATION_NOT_FOUND') return false;
      throw error;
    }
  }

  /**
   * The ticket as the agent may see it: for an agent without clearance (L1) the summary, the notes
   * and the customer id are masked as transcripts are, since they quote what the customer said.
   */
  private asSeenBy(agent: Agent, ticket: Ticket): Ticket {
    if (!seesVerifiedContactDetails(agent.role)) maskTicket(ticket);
    return ticket;
  }

  /** A ticket call whose answer is the ticket, masked for the agent. */
  private async ticketCall<Req extends DescMessage>(
    agent: Agent,
    rpc: RpcTopic<Req, typeof TicketSchema>,
    request: MessageShape<Req>,
  ): Promise<unknown> {
    return jsonBody(rpc.response, this.asSeenBy(agent, await this.request(rpc, request)));
  }

  /** The ticket, if it is in the agent's departments; otherwise not found, as another tenant's would be. */
  /** The ticket, or not found when it is outside the agent's departments. */
  async ticketInScope(agent: Agent, ticketId: string): Promise<Ticket> {
    const ticket = await this.request(Rpcs.ticketGet, create(GetTicketRequestSchema, { tenantId: agent.tenantId, ticketId }));
    const scope = scopeOf(agent);
    if (scope && !scope.includes(ticket.department)) throw ticketNotFound(ticketId);
    return ticket;
  }

  /** Not found unless the conversation has a ticket in the agent's departments. */
  async conversationInScope(agent: Agent, conversationId: string): Promise<void> {
    const { tickets } = await this.request(
      Rpcs.ticketList,
      create(ListTicketsRequestSchema, { tenantId: agent.tenantId, conversationId, departments: scopeOf(agent) ?? [], limit: 1 }),
    );
    if (tickets.length === 0) throw conversationNotFound(conversationId);
  }

  /** The reply as canonical protobuf JSON, every field present. */
  private async call<Req extends DescMessage, Res extends DescMessage>(
    rpc: RpcTopic<Req, Res>,
    request: MessageShape<Req>,
  ): Promise<unknown> {
    return jsonBody(rpc.response, await this.request(rpc, request));
  }

  /** Bad ids fail the topic's field rules here, before Kafka. */
  private async request<Req extends DescMessage, Res extends DescMessage>(
    rpc: RpcTopic<Req, Res>,
    request: MessageShape<Req>,
  ): Promise<MessageShape<Res>> {
    const violations = (rpc as unknown as AnyRpcTopic).validate(request);
    if (violations.length > 0) throw GatewayError.invalid(violations);
    return this.rpc.request(rpc, request, { timeoutMs: TIMEOUT_MS });
  }
}
