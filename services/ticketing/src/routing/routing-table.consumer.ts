// Serves the tenant's departments and routing rules (ticket.routing.table.get.v1,
// ticket.departments.put.v1, ticket.routing.rules.put.v1) to the gateway's admin API, which
// checks each field's form; the topics' rules check it again here.
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { create, RoutingTableSchema, Rpcs, type RoutingRule as RuleMessage } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import type { RoutingRule } from './routing-rules';
import { RoutingTableService, type RoutingTable } from './routing-table.service';

const answer = (tenantId: string, t: RoutingTable) =>
  create(RoutingTableSchema, {
    tenantId,
    departments: t.departments.items,
    builtInDepartments: t.departments.builtIn,
    rules: t.rules.items.map((r) => ({ ...r, department: r.department ?? '', priority: r.priority ?? '' })),
    builtInRules: t.rules.builtIn,
  });

/** The message's rule as routing reads it: empty department or priority means the rule sets none. */
const ruleOf = (r: RuleMessage): RoutingRule => ({
  intents: r.intents,
  reasons: r.reasons,
  locales: r.locales,
  tiers: r.tiers,
  department: r.department || undefined,
  priority: (r.priority || undefined) as RoutingRule['priority'],
});

@Injectable()
export class RoutingTableConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly table: RoutingTableService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.routingTableGet, async (r) => answer(r.tenantId, await this.table.of(r.tenantId)), this.log);
    await serveRpc(
      this.bus,
      Rpcs.departmentsPut,
      async (r) =>
        answer(
          r.tenantId,
          await this.table.putDepartments(r.tenantId, r.builtIn ? undefined : r.departments.map((d) => ({ id: d.id, name: d.name }))),
        ),
      this.log,
    );
    await serveRpc(
      this.bus,
      Rpcs.routingRulesPut,
      async (r) => answer(r.tenantId, await this.table.putRules(r.tenantId, r.builtIn ? undefined : r.rules.map(ruleOf))),
      this.log,
    );
  }
}
