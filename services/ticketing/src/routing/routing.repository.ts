// A tenant's departments and routing rules, in the ticketing schema; the built-in set for a tenant
// that has not configured its own.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEFAULT_DEPARTMENTS, DEFAULT_RULES, type Department, type Priority, type RoutingRule } from './routing-rules';

@Injectable()
export class RoutingRepository {
  constructor(private readonly db: DataSource) {}

  async rulesOf(tenantId: string): Promise<RoutingRule[]> {
    const rows: Array<{
      intents: string[];
      reasons: string[];
      locales: string[];
      tiers: string[];
      department: string | null;
      priority: Priority | null;
    }> = await this.db.query(
      'select intents, reasons, locales, tiers, department, priority from ticketing.routing_rules where tenant_id = $1 order by position',
      [tenantId],
    );
    if (rows.length === 0) return DEFAULT_RULES;
    return rows.map((r) => ({
      intents: r.intents,
      reasons: r.reasons,
      locales: r.locales,
      tiers: r.tiers,
      department: r.department ?? undefined,
      priority: r.priority ?? undefined,
    }));
  }

  async departmentsOf(tenantId: string): Promise<Department[]> {
    const rows: Department[] = await this.db.query('select id, name from ticketing.departments where tenant_id = $1 order by id', [
      tenantId,
    ]);
    return rows.length > 0 ? rows : DEFAULT_DEPARTMENTS;
  }
}
