// Saved views of the inbox: a user's named sets of inbox filters (queue, department, status), kept
// per user and seen by no one else. The console applies them; the gateway still decides which
// tickets each filter returns, so a view never widens what its user may see.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@switchboard/contracts';
import type { Agent } from '../agents/agents.service';
import { GatewayError } from '../gateway.errors';

export const QUEUES = ['mine', 'unassigned', 'all'] as const;
export const STATUSES = ['active', 'open', 'assigned', 'waiting_on_customer', 'resolved', 'closed'] as const;
const MAX_VIEWS = 50;

export interface InboxFilters {
  queue: (typeof QUEUES)[number];
  department: string;
  status: (typeof STATUSES)[number];
}
export interface SavedView {
  id: string;
  name: string;
  filters: InboxFilters;
  createdAt: string;
}

/** The body of POST /v1/agent/saved-views, or a 400 naming each wrong, missing or unknown field. */
export function parseSavedView(body: Record<string, unknown>): { name: string; filters: InboxFilters } {
  const violations = Object.keys(body)
    .filter((k) => k !== 'name' && k !== 'filters')
    .map((field) => ({ field, problem: 'is not a field of a saved view (name, filters)' }));
  const name = typeof body.name === 'string' ? body.name.trim() : '';
  if (!name || name.length > 60) violations.push({ field: 'name', problem: 'is required: 1 to 60 characters' });
  const f = (typeof body.filters === 'object' && body.filters !== null && !Array.isArray(body.filters) ? body.filters : {}) as Record<
    string,
    unknown
  >;
  for (const k of Object.keys(f))
    if (!['queue', 'department', 'status'].includes(k))
      violations.push({ field: `filters.${k}`, problem: 'is not an inbox filter (queue, department, status)' });
  if (!(QUEUES as readonly unknown[]).includes(f.queue))
    violations.push({ field: 'filters.queue', problem: `is required: one of ${QUEUES.join(', ')}` });
  if (f.department !== undefined && (typeof f.department !== 'string' || f.department.length > 64))
    violations.push({ field: 'filters.department', problem: 'must be a department name (empty: any)' });
  if (f.status !== undefined && !(STATUSES as readonly unknown[]).includes(f.status))
    violations.push({ field: 'filters.status', problem: `must be one of ${STATUSES.join(', ')}` });
  if (violations.length > 0) throw GatewayError.invalid(violations);
  return {
    name,
    filters: {
      queue: f.queue as InboxFilters['queue'],
      department: (f.department as string | undefined) ?? '',
      status: (f.status as InboxFilters['status'] | undefined) ?? 'active',
    },
  };
}

interface Row {
  id: string;
  name: string;
  filters: InboxFilters;
  created_at: Date;
}
const toView = (r: Row): SavedView => ({ id: r.id, name: r.name, filters: r.filters, createdAt: r.created_at.toISOString() });

@Injectable()
export class SavedViewsService {
  constructor(private readonly db: DataSource) {}

  async list(agent: Agent): Promise<{ savedViews: SavedView[] }> {
    const rows: Row[] = await this.db.query(
      'select id, name, filters, created_at from gateway.saved_views where tenant_id = $1 and owner = $2 order by name',
      [agent.tenantId, agent.actor.id],
    );
    return { savedViews: rows.map(toView) };
  }

  /** Saves a view; one with the same name is replaced (saving again is how a view is changed). */
  async save(agent: Agent, body: Record<string, unknown>): Promise<SavedView> {
    const { name, filters } = parseSavedView(body);
    const [{ n }]: Array<{ n: number }> = await this.db.query(
      'select count(*)::int as n from gateway.saved_views where tenant_id = $1 and owner = $2 and name <> $3',
      [agent.tenantId, agent.actor.id, name],
    );
    if (n >= MAX_VIEWS)
      throw GatewayError.invalid([{ field: 'name', problem: `would be your ${MAX_VIEWS + 1}th saved view; delete one first` }]);
    const rows: Row[] = await this.db.query(
      `insert into gateway.saved_views (id, tenant_id, owner, name, filters) values ($1, $2, $3, $4, $5)
       on conflict (tenant_id, owner, name) do update set filters = excluded.filters returning id, name, filters, created_at`,
      [randomUUID(), agent.tenantId, agent.actor.id, name, JSON.stringify(filters)],
    );
    return toView(rows[0]);
  }

  async remove(agent: Agent, id: string): Promise<void> {
    const notFound = new GatewayError('NOT_FOUND', `saved view ${id} not found among yours: list them with GET /v1/agent/saved-views`);
    if (!isUuid(id)) throw notFound;
    const [, deleted]: [unknown, number] = await this.db.query(
      'delete from gateway.saved_views where tenant_id = $1 and owner = $2 and id = $3',
      [agent.tenantId, agent.actor.id, id],
    );
    if (deleted === 0) throw notFound;
  }
}
