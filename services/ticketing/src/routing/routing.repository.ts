// A tenant's departments and routing rules, in the ticketing schema; the built-in set for a tenant
// that has not configured its own (no rows). Read on every hand-off, never cached, so an admin's
// change routes the next hand-off.
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DEFAULT_DEPARTMENTS, DEFAULT_RULES, type Department, type Priority, type RoutingRule } from './routing-rules';

export interface Configured<T> {
  items: T[];
  /** The tenant has none of its own: `items` is the built-in set. */
  builtIn: boolean;
}

@Injectable()
export class RoutingRepository {
  constructor(private readonly db: DataSource) {}

  async rulesOf(tenantId: string, m?: EntityManager): Promise<RoutingRule[]> {
    return (await this.configuredRules(tenantId, m)).items;
  }

  async departmentsOf(tenantId: string, m?: EntityManager): Promise<Department[]> {
    return (await this.configuredDepartments(tenantId, m)).items;
  }

  async configuredRules(tenantId: string, m?: EntityManager): Promise<Configured<RoutingRule>> {
    const rows: Array<{
      intents: string[];
      reasons: string[];
      locales: string[];
      tiers: string[];
      department: string | null;
      priority: Priority | null;
    }> = await (m ?? this.db).query(
      'select intents, reasons, locales, tiers, department, priority from ticketing.routing_rules where tenant_id = $1 order by position',
      [tenantId],
    );
    if (rows.length === 0) return { items: DEFAULT_RULES, builtIn: true };
    const items = rows.map((r) => ({
      intents: r.intents,
      reasons: r.reasons,
      locales: r.locales,
      tiers: r.tiers,
      department: r.department ?? undefined,
      priority: r.priority ?? undefined,
    }));
    return { items, builtIn: false };
  }

  async configuredDepartments(tenantId: string, m?: EntityManager): Promise<Configured<Department>> {
    const rows: Department[] = await (m ?? this.db).query('select id, name from ticketing.departments where tenant_id = $1 order by id', [
      tenantId,
    ]);
    return rows.length > 0 ? { items: rows, builtIn: false } : { items: DEFAULT_DEPARTMENTS, builtIn: true };
  }

  /** Replaces the tenant's rules in order; none: the built-in set again. */
  async replaceRules(m: EntityManager, tenantId: string, rules: RoutingRule[]): Promise<void> {
    await m.query('delete from ticketing.routing_rules where tenant_id = $1', [tenantId]);
    for (const [position, r] of rules.entries())
      await m.query(
        `insert into ticketing.routing_rules (tenant_id, position, intents, reasons, locales, tiers, department, priority)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [tenantId, position, r.intents, r.reasons, r.locales, r.tiers, r.department ?? null, r.priority ?? null],
      );
  }

  /** Replaces the tenant's departments; none: the built-in set again. */
  async replaceDepartments(m: EntityManager, tenantId: string, departments: Department[]): Promise<void> {
    await m.query('delete from ticketing.departments where tenant_id = $1', [tenantId]);
    for (const d of departments)
      await m.query('insert into ticketing.departments (tenant_id, id, name) values ($1, $2, $3)', [tenantId, d.id, d.name]);
  }

  /** How many tickets not yet resolved or closed each department holds. */
  async openTicketsByDepartment(m: EntityManager, tenantId: string): Promise<Map<string, number>> {
    const rows: Array<{ department: string; n: number }> = await m.query(
      `select department, count(*)::int as n from ticketing.tickets
       where tenant_id = $1 and status in ('open', 'assigned', 'waiting_on_customer') group by department`,
      [tenantId],
    );
    return new Map(rows.map((r) => [r.department, r.n]));
  }

  /** Serializes one tenant's changes to its routing table, so two admins' checks cannot interleave. */
  async lock(m: EntityManager, tenantId: string): Promise<void> {
    await m.query("select pg_advisory_xact_lock(hashtext('ticketing.routing:' || $1))", [tenantId]);
  }
}
