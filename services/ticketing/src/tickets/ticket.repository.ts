// Tickets and their notes, in the ticketing schema. Every query is scoped to a tenant, so another
// tenant's ticket id finds nothing.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FieldCipher, type EncryptionConfig } from '@switchboard/crypto';
import { CONFIG } from '@switchboard/platform';
import type { Priority } from '../routing/routing-rules';
import type { TicketStatus } from './ticket-lifecycle';

export interface TicketRecord {
  tenantId: string;
  id: string;
  conversationId: string;
  customerId: string;
  department: string;
  priority: Priority;
  status: TicketStatus;
  reason: string;
  summary: string;
  assigneeId: string | null;
  dueAt: Date | null;
  locale: string;
  intent: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewTicket extends Omit<TicketRecord, 'status' | 'assigneeId' | 'createdAt' | 'updatedAt'> {
  tier: string;
  sourceEventId: string;
}

export interface NoteRecord {
  id: string;
  author: string;
  text: string;
  createdAt: Date;
}

const COLUMNS = `tenant_id, id, conversation_id, customer_id, department, priority, status, reason, summary, assignee_id, due_at, locale, intent, created_at, updated_at`;

interface TicketRow {
  tenant_id: string;
  id: string;
  conversation_id: string;
  customer_id: string;
  department: string;
  priority: Priority;
  status: TicketStatus;
  reason: string;
  summary: string;
  assignee_id: string | null;
  due_at: Date | null;
  locale: string;
  intent: string;
  created_at: Date;
  updated_at: Date;
}

/** Encrypted at rest (libs/crypto), each bound to its tenant, this name and its row id. */
export const TICKET_SUMMARY = 'ticketing.tickets.summary';
export const NOTE_TEXT = 'ticketing.ticket_notes.text';

const toRecord = (r: TicketRow, cipher: FieldCipher): TicketRecord => ({
  tenantId: r.tenant_id,
  id: r.id,
  conversationId: r.conversation_id,
  customerId: r.customer_id,
  department: r.department,
  priority: r.priority,
  status: r.status,
  reason: r.reason,
  summary: cipher.decrypt(r.summary, { tenantId: r.tenant_id, column: TICKET_SUMMARY, row: r.id }),
  assigneeId: r.assignee_id,
  dueAt: r.due_at,
  locale: r.locale,
  intent: r.intent,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

@Injectable()
export class TicketRepository {
  private readonly cipher: FieldCipher;

  constructor(
    private readonly db: DataSource,
    @Inject(CONFIG) config: EncryptionConfig,
  ) {
    this.cipher = FieldCipher.fromConfig(config);
  }

  /** False when the hand-off event already has its ticket (a redelivery). */
  async insert(m: EntityManager, t: NewTicket): Promise<boolean> {
    const inserted: unknown[] = await m.query(
      `insert into ticketing.tickets (tenant_id, id, conversation_id, customer_id, department, priority, reason, summary, source_event_id, due_at, locale, intent, tier)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) on conflict (tenant_id, source_event_id) do nothing returning id`,
      [
        t.tenantId,
        t.id,
        t.conversationId,
        t.customerId,
        t.department,
        t.priority,
        t.reason,
        this.cipher.seal(t.summary, { tenantId: t.tenantId, column: TICKET_SUMMARY, row: t.id }),
        t.sourceEventId,
        t.dueAt,
        t.locale,
        t.intent,
        t.tier,
      ],
    );
    return inserted.length > 0;
  }

  /** With a manager, the row stays locked until its transaction ends, so concurrent changes queue. */
  async find(tenantId: string, id: string, m?: EntityManager): Promise<TicketRecord | undefined> {
    const rows: TicketRow[] = await (m ?? this.db).query(
      `select ${COLUMNS} from ticketing.tickets where tenant_id = $1 and id = $2${m ? ' for update' : ''}`,
      [tenantId, id],
    );
    return rows[0] ? toRecord(rows[0], this.cipher) : undefined;
  }

  /** Most urgent first, then the one due soonest. */
  async list(
    tenantId: string,
    filter: { status?: string; department?: string; departments?: string[]; conversationId?: string; limit: number },
  ): Promise<TicketRecord[]> {
    const rows: TicketRow[] = await this.db.query(
      `select ${COLUMNS} from ticketing.tickets
       where tenant_id = $1 and ($2::text is null or status = $2) and ($3::text is null or department = $3)
         and ($5::text[] is null or department = any($5)) and ($6::uuid is null or conversation_id = $6)
       order by array_position(array['urgent', 'high', 'normal', 'low'], priority), due_at nulls last, created_at
       limit $4`,
      [tenantId, filter.status ?? null, filter.department ?? null, filter.limit, filter.departments ?? null, filter.conversationId ?? null],
    );
    return rows.map((r) => toRecord(r, this.cipher));
  }

  async update(m: EntityManager, t: Pick<TicketRecord, 'tenantId' | 'id' | 'status' | 'assigneeId'>): Promise<void> {
    await m.query('update ticketing.tickets set status = $3, assignee_id = $4, updated_at = now() where tenant_id = $1 and id = $2', [
      t.tenantId,
      t.id,
      t.status,
      t.assigneeId,
    ]);
  }

  async addNote(m: EntityManager, tenantId: string, ticketId: string, note: Omit<NoteRecord, 'createdAt'>): Promise<void> {
    await m.query('insert into ticketing.ticket_notes (tenant_id, id, ticket_id, author, text) values ($1, $2, $3, $4, $5)', [
      tenantId,
      note.id,
      ticketId,
      note.author,
      this.cipher.seal(note.text, { tenantId, column: NOTE_TEXT, row: note.id }),
    ]);
    await m.query('update ticketing.tickets set updated_at = now() where tenant_id = $1 and id = $2', [tenantId, ticketId]);
  }

  async notes(tenantId: string, ticketId: string): Promise<NoteRecord[]> {
    const rows: Array<{ id: string; author: string; text: string; created_at: Date }> = await this.db.query(
      'select id, author, text, created_at from ticketing.ticket_notes where tenant_id = $1 and ticket_id = $2 order by created_at, id',
      [tenantId, ticketId],
    );
    return rows.map((r) => ({
      id: r.id,
      author: r.author,
      text: this.cipher.decrypt(r.text, { tenantId, column: NOTE_TEXT, row: r.id }),
      createdAt: r.created_at,
    }));
  }
}
