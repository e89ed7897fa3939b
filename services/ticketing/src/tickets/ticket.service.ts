// Tickets from hand-off to closed: opens one per hand-off event (routed to a department, with a
// priority and an SLA due time, and given to an online agent of it when the tenant's automatic
// assignment finds one), then lets agents claim, annotate and move it along its lifecycle.
// Every change and the ticket.events.v1 event it causes commit together (outbox).
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import {
  create,
  TicketEventSchema,
  TicketSchema,
  Topics,
  type AddTicketNoteRequest,
  type ChangeTicketStatusRequest,
  type ClaimTicketRequest,
  type ConversationLifecycleEvent,
  type HandoffRequested,
  type ListTicketsRequest,
  type MessageInitShape,
  type Ticket,
} from '@switchboard/contracts';
import { Outbox } from '@switchboard/persistence';
import { CONFIG } from '@switchboard/platform';
import type { TicketingConfig } from '../config';
import { AutoAssigner } from '../routing/auto-assigner';
import { RoutingRepository } from '../routing/routing.repository';
import { route } from '../routing/routing-rules';
import { dueAt } from '../routing/sla';
import { checkTransition, parseStatus, type TicketStatus } from './ticket-lifecycle';
import { TicketError } from './ticket.errors';
import { TicketRepository, type NoteRecord, type TicketRecord } from './ticket.repository';

type TicketEventKind = MessageInitShape<typeof TicketEventSchema>['kind'];

const DEFAULT_LIST_LIMIT = 50;

@Injectable()
export class TicketService {
  constructor(
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    private readonly tickets: TicketRepository,
    private readonly routing: RoutingRepository,
    private readonly autoAssigner: AutoAssigner,
    @Inject(CONFIG) private readonly config: TicketingConfig,
  ) {}

  async onConversationEvent(event: ConversationLifecycleEvent): Promise<void> {
    if (event.kind.case !== 'handoffRequested') return;
    await this.openTicket(event, event.kind.value);
    await this.outbox.flush();
  }

  private async openTicket(event: ConversationLifecycleEvent, handoff: HandoffRequested): Promise<void> {
    const { department, priority } = route(handoff, await this.routing.rulesOf(event.tenantId));
    const ticket = {
      tenantId: event.tenantId,
      id: randomUUID(),
      conversationId: event.conversationId,
      customerId: handoff.customerId,
      department,
      priority,
      reason: handoff.reason,
      summary: handoff.summary,
      dueAt: dueAt(priority, new Date(), this.config.TICKET_SLA_MINUTES),
      locale: handoff.locale,
      intent: handoff.intent,
      tier: handoff.tier,
      sourceEventId: event.eventId,
    };
    await this.db.transaction(async (m) => {
      if (!(await this.tickets.insert(m, ticket))) return; // this hand-off already has its ticket
      await this.stage(m, ticket, {
        case: 'created',
        value: {
          conversationId: ticket.conversationId,
          customerId: ticket.customerId,
          department,
          priority,
          summary: ticket.summary,
          reason: ticket.reason,
          dueAt: ticket.dueAt.toISOString(),
          intent: ticket.intent,
          locale: ticket.locale,
          channel: handoff.channel,
          tier: ticket.tier,
        },
      });
      // In the same transaction: a ticket is never seen created but not yet offered.
      const agentId = await this.autoAssigner.pick(m, ticket.tenantId, department);
      const created = agentId ? await this.tickets.find(ticket.tenantId, ticket.id, m) : undefined;
      if (agentId && created) await this.assign(m, created, agentId, '', true);
    });
  }

  async list(request: ListTicketsRequest): Promise<Ticket[]> {
    const status = request.status ? parseStatus('status', request.status) : undefined;
    const department = request.department || undefined;
    if (department) {
      const known = await this.routing.departmentsOf(request.tenantId);
      if (!known.some((d) => d.id === department))
        throw new TicketError(
          'INVALID_ARGUMENT',
          `department "${department}" does not exist; this tenant has ${known.map((d) => d.id).join(', ')}`,
        );
    }
    const records = await this.tickets.list(request.tenantId, {
      status,
      department,
      departments: request.departments.length > 0 ? request.departments : undefined,
      conversationId: request.conversationId || undefined,
      limit: request.limit || DEFAULT_LIST_LIMIT,
    });
    return records.map((r) => toTicket(r));
  }

  async get(tenantId: string, ticketId: string): Promise<Ticket> {
    const ticket = await this.tickets.find(tenantId, ticketId);
    if (!ticket) throw notFound(ticketId);
    return toTicket(ticket, await this.tickets.notes(tenantId, ticketId));
  }

  /** Assigns the ticket to the agent; claiming one's own ticket again changes nothing. */
  async claim(request: ClaimTicketRequest): Promise<Ticket> {
    return this.change(request.tenantId, request.ticketId, async (m, ticket) => {
      if (ticket.assigneeId === request.agentId) return;
      if (ticket.assigneeId)
        throw new TicketError(
          'TICKET_CLAIMED',
          `ticket ${ticket.id} is assigned to ${ticket.assigneeId}; they (or a lead) must move it back to open first`,
        );
      checkTransition(ticket.status, 'assigned');
      await this.assign(m, ticket, request.agentId, request.agentId);
    });
  }

  async addNote(request: AddTicketNoteRequest): Promise<Ticket> {
    return this.change(request.tenantId, request.ticketId, async (m, ticket) => {
      const note = { id: request.noteId || randomUUID(), author: request.author, text: request.text };
      await this.tickets.addNote(m, ticket.tenantId, ticket.id, note);
      await this.stage(m, ticket, { case: 'noteAdded', value: { noteId: note.id, author: note.author, text: note.text } });
    });
  }

  /** Moves the ticket along its lifecycle: "assigned" takes an unassigned ticket, "open" unassigns it. */
  async changeStatus(request: ChangeTicketStatusRequest): Promise<Ticket> {
    const to = parseStatus('status', request.status);
    if (request.resolution && to !== 'resolved')
      throw new TicketError('INVALID_ARGUMENT', 'resolution is only accepted with status "resolved"');
    return this.change(request.tenantId, request.ticketId, async (m, ticket) => {
      checkTransition(ticket.status, to);
      // Checked on the locked row, so a claim racing this move cannot slip between check and change.
      checkHolder(ticket, request);
      if (to === 'assigned' && !ticket.assigneeId) return this.assign(m, ticket, request.agentId, request.agentId);
      const assigneeId = to === 'open' ? null : ticket.assigneeId;
      await this.moveTo(m, ticket, to, assigneeId, request.agentId);
      if (to === 'open' && ticket.assigneeId)
        await this.stage(m, ticket, { case: 'assigned', value: { agentId: '', previousAgentId: ticket.assigneeId } });
      if (to === 'resolved')
        await this.stage(m, ticket, {
          case: 'resolved',
          value: { agentId: request.agentId, resolution: request.resolution, conversationId: ticket.conversationId },
        });
    });
  }

  /** `by` is who moved it: the agent, or empty for routing's automatic assignment. */
  private async assign(m: EntityManager, ticket: TicketRecord, agentId: string, by: string, automatic = false): Promise<void> {
    await this.moveTo(m, ticket, 'assigned', agentId, by);
    await this.autoAssigner.recordAssignment(m, ticket.tenantId, agentId);
    await this.stage(m, ticket, { case: 'assigned', value: { agentId, previousAgentId: ticket.assigneeId ?? '', automatic } });
  }

  private async moveTo(m: EntityManager, ticket: TicketRecord, to: TicketStatus, assigneeId: string | null, by: string): Promise<void> {
    await this.tickets.update(m, { tenantId: ticket.tenantId, id: ticket.id, status: to, assigneeId });
    if (to !== ticket.status) await this.stage(m, ticket, { case: 'statusChanged', value: { from: ticket.status, to, agentId: by } });
  }

  /** Runs `apply` on the locked ticket in one transaction with its events, then answers with the ticket as it now is. */
  private async change(
    tenantId: string,
    ticketId: string,
    apply: (m: EntityManager, ticket: TicketRecord) => Promise<void>,
  ): Promise<Ticket> {
    await this.db.transaction(async (m) => {
      const ticket = await this.tickets.find(tenantId, ticketId, m);
      if (!ticket) throw notFound(ticketId);
      await apply(m, ticket);
    });
    await this.outbox.flush();
    return this.get(tenantId, ticketId);
  }

  private async stage(
    m: EntityManager,
    ticket: { tenantId: string; id: string; conversationId: string },
    kind: TicketEventKind,
  ): Promise<void> {
    await this.outbox.stage(
      m,
      Topics.ticketEvents,
      create(TicketEventSchema, {
        tenantId: ticket.tenantId,
        ticketId: ticket.id,
        eventId: randomUUID(),
        occurredAt: new Date().toISOString(),
        kind,
      }),
      { conversationId: ticket.conversationId },
    );
  }
}

/**
 * A ticket another agent holds is theirs to move (unassign, park, resolve, close): only they or a
 * lead (senior agent, supervisor) may, so nobody can quietly close a colleague's case.
 */
function checkHolder(ticket: TicketRecord, request: ChangeTicketStatusRequest): void {
  if (!ticket.assigneeId || ticket.assigneeId === request.agentId || request.lead) return;
  throw new TicketError(
    'NOT_TICKET_HOLDER',
    `ticket ${ticket.id} is held by ${ticket.assigneeId}; only they or a senior agent or supervisor may move it`,
  );
}

function notFound(ticketId: string): TicketError {
  return new TicketError('TICKET_NOT_FOUND', `ticket ${ticketId} does not exist for this tenant`);
}

function toTicket(r: TicketRecord, notes: NoteRecord[] = []): Ticket {
  return create(TicketSchema, {
    id: r.id,
    conversationId: r.conversationId,
    customerId: r.customerId,
    department: r.department,
    priority: r.priority,
    status: r.status,
    reason: r.reason,
    summary: r.summary,
    assigneeId: r.assigneeId ?? '',
    dueAt: r.dueAt?.toISOString() ?? '',
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    locale: r.locale,
    intent: r.intent,
    notes: notes.map((n) => ({ id: n.id, author: n.author, text: n.text, createdAt: n.createdAt.toISOString() })),
  });
}
