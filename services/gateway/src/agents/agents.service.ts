// Turns the agents' REST calls into request-reply calls: tickets to ticketing, conversations to
// conversation. The API key decides the tenant; a path or body can never name another.
import { Injectable } from '@nestjs/common';
import {
  AddTicketNoteRequestSchema, AgentMessageRequestSchema, AgentSessionRequestSchema, ChangeTicketStatusRequestSchema, ClaimTicketRequestSchema, create, GetTicketRequestSchema,
  GetTranscriptRequestSchema, ListTicketsRequestSchema, Rpcs, type AnyRpcTopic, type DescMessage, type MessageShape, type RpcTopic,
} from '@switchboard/contracts';
import { RpcClient } from '@switchboard/messaging';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import type { Caller } from '../auth/api-key.service';
import { GatewayError } from '../gateway.errors';
import { jsonBody } from '../http/json-body';

const TIMEOUT_MS = 15_000;

export interface Agent {
  caller: Caller;
  agentId: string;
}

/** A body field that must be a string (or absent, when `optional`). */
function text(body: Record<string, unknown>, field: string, optional = false): string {
  const value = body[field];
  if (value === undefined && optional) return '';
  if (typeof value !== 'string') throw GatewayError.invalid([{ field, problem: optional ? 'must be a string' : 'is required (a string)' }]);
  return value;
}

@Injectable()
export class AgentsService {
  constructor(private readonly rpc: RpcClient, readonly audit?: AuditTrail) {}

  @Audited('ticket.list', 'ticket')
  listTickets({ caller }: Agent, query: { status?: string; department?: string; limit?: string }) {
    const limit = query.limit === undefined ? 0 : Number(query.limit);
    if (!Number.isInteger(limit)) throw GatewayError.invalid([{ field: 'limit', problem: 'must be a whole number between 1 and 200' }]);
    return this.call(Rpcs.ticketList, create(ListTicketsRequestSchema, { tenantId: caller.tenantId, status: query.status ?? '', department: query.department ?? '', limit }));
  }

  @Audited('ticket.read', 'ticket', 1)
  getTicket({ caller }: Agent, ticketId: string) {
    return this.call(Rpcs.ticketGet, create(GetTicketRequestSchema, { tenantId: caller.tenantId, ticketId }));
  }

  @Audited('ticket.claim', 'ticket', 1)
  claim({ caller, agentId }: Agent, ticketId: string) {
    return this.call(Rpcs.ticketClaim, create(ClaimTicketRequestSchema, { tenantId: caller.tenantId, ticketId, agentId }));
  }

  @Audited('ticket.note.add', 'ticket', 1)
  addNote({ caller, agentId }: Agent, ticketId: string, body: Record<string, unknown>) {
    return this.call(Rpcs.ticketNote, create(AddTicketNoteRequestSchema, { tenantId: caller.tenantId, ticketId, author: agentId, text: text(body, 'text') }));
  }

  @Audited('ticket.status.change', 'ticket', 1)
  changeStatus({ caller, agentId }: Agent, ticketId: string, body: Record<string, unknown>) {
    return this.call(Rpcs.ticketStatus, create(ChangeTicketStatusRequestSchema, { tenantId: caller.tenantId, ticketId, agentId, status: text(body, 'status') }));
  }

  @Audited('ticket.resolve', 'ticket', 1)
  resolve({ caller, agentId }: Agent, ticketId: string, body: Record<string, unknown>) {
    return this.call(Rpcs.ticketStatus, create(ChangeTicketStatusRequestSchema, { tenantId: caller.tenantId, ticketId, agentId, status: 'resolved', resolution: text(body, 'resolution', true) }));
  }

  @Audited('conversation.transcript.read', 'conversation', 1)
  transcript({ caller }: Agent, conversationId: string) {
    return this.call(Rpcs.conversationTranscript, create(GetTranscriptRequestSchema, { tenantId: caller.tenantId, conversationId }));
  }

  @Audited('conversation.takeover', 'conversation', 1)
  takeOver({ caller, agentId }: Agent, conversationId: string) {
    return this.call(Rpcs.conversationTakeOver, create(AgentSessionRequestSchema, { tenantId: caller.tenantId, conversationId, agentId }));
  }

  @Audited('conversation.handback', 'conversation', 1)
  handBack({ caller, agentId }: Agent, conversationId: string) {
    return this.call(Rpcs.conversationHandBack, create(AgentSessionRequestSchema, { tenantId: caller.tenantId, conversationId, agentId }));
  }

  @Audited('conversation.agent_message.send', 'conversation', 1)
  sendMessage({ caller, agentId }: Agent, conversationId: string, body: Record<string, unknown>) {
    return this.call(Rpcs.conversationAgentMessage, create(AgentMessageRequestSchema, { tenantId: caller.tenantId, conversationId, agentId, text: text(body, 'text') }));
  }

  /** The reply as canonical protobuf JSON, every field present. Bad ids fail the topic's field rules here, before Kafka. */
  private async call<Req extends DescMessage, Res extends DescMessage>(rpc: RpcTopic<Req, Res>, request: MessageShape<Req>): Promise<unknown> {
    const violations = (rpc as unknown as AnyRpcTopic).validate(request);
    if (violations.length > 0) throw GatewayError.invalid(violations);
    const result = await this.rpc.request(rpc, request, { timeoutMs: TIMEOUT_MS });
    return jsonBody(rpc.response, result);
  }
}
