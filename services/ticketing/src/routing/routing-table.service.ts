// An admin's change to the tenant's departments or routing rules, checked against each other and
// against the tickets in flight before anything is stored: every rule names an existing
// department, and a department stays while a rule names it or open tickets are in it (they would
// sit in a queue no one can pick any more). The gateway has checked each field's form already.
import { Injectable } from '@nestjs/common';
import { describeViolations, type FieldViolation } from '@switchboard/contracts';
import { DataSource } from 'typeorm';
import { TicketError } from '../tickets/ticket.errors';
import { RoutingRepository, type Configured } from './routing.repository';
import { DEFAULT_DEPARTMENTS, DEFAULT_RULES, FALLBACK_DEPARTMENT, type Department, type RoutingRule } from './routing-rules';

export interface RoutingTable {
  departments: Configured<Department>;
  rules: Configured<RoutingRule>;
}

const refuse = (violations: FieldViolation[]) => {
  if (violations.length > 0) throw new TicketError('INVALID_ARGUMENT', describeViolations(violations));
};

@Injectable()
export class RoutingTableService {
  constructor(
    private readonly db: DataSource,
    private readonly routing: RoutingRepository,
  ) {}

  async of(tenantId: string): Promise<RoutingTable> {
    return {
      departments: await this.routing.configuredDepartments(tenantId),
      rules: await this.routing.configuredRules(tenantId),
    };
  }

  /** The tenant's own departments, or (undefined) the built-in set again. */
  async putDepartments(tenantId: string, departments: Department[] | undefined): Promise<RoutingTable> {
    const wanted = departments ?? DEFAULT_DEPARTMENTS;
    await this.db.transaction(async (m) => {
      await this.routing.lock(m, tenantId);
      const kept = new Set(wanted.map((d) => d.id));
      const removed = (await this.routing.departmentsOf(tenantId, m)).map((d) => d.id).filter((id) => !kept.has(id));
      const field = departments ? 'departments' : 'builtIn';
      const violations: FieldViolation[] = [];
      if (!kept.has(FALLBACK_DEPARTMENT))
        violations.push({ field, problem: `must keep "${FALLBACK_DEPARTMENT}": hand-offs no rule places go there` });
      const rules = await this.routing.rulesOf(tenantId, m);
      const open = await this.routing.openTicketsByDepartment(m, tenantId);
      for (const id of removed) {
        const naming = rules.flatMap((r, i) => (r.department === id ? [`rules[${i}].department`] : []));
        if (naming.length > 0)
          violations.push({ field, problem: `would remove "${id}", which ${naming.join(', ')} still names; change the rules first` });
        const tickets = open.get(id) ?? 0;
        if (tickets > 0)
          violations.push({ field, problem: `would remove "${id}", which ${tickets} open tickets are in; resolve or close them first` });
      }
      refuse(violations);
      await this.routing.replaceDepartments(m, tenantId, departments ?? []);
    });
    return this.of(tenantId);
  }

  /** The tenant's own ordered rules, or (undefined) the built-in set again. */
  async putRules(tenantId: string, rules: RoutingRule[] | undefined): Promise<RoutingTable> {
    await this.db.transaction(async (m) => {
      await this.routing.lock(m, tenantId);
      const departments = await this.routing.departmentsOf(tenantId, m);
      const known = new Set(departments.map((d) => d.id));
      const list = departments.map((d) => d.id).join(', ');
      const unknown = (rules ?? DEFAULT_RULES).flatMap((r, i) =>
        r.department && !known.has(r.department) ? [{ index: i, department: r.department }] : [],
      );
      refuse(
        unknown.map(({ index, department }) =>
          rules
            ? { field: `rules[${index}].department`, problem: `"${department}" is not one of this tenant's departments (${list})` }
            : {
                field: 'builtIn',
                problem: `the built-in rules send hand-offs to "${department}", which is not one of this tenant's departments (${list})`,
              },
        ),
      );
      await this.routing.replaceRules(m, tenantId, rules ?? []);
    });
    return this.of(tenantId);
  }
}
