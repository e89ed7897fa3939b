// A tenant's departments and ordered routing rules (kept and applied by ticketing,
// services/ticketing/src/routing/): read, replaced whole, or set back to the built-in set. The
// form of every field is checked here (a 400 naming each wrong one); whether a rule's department
// exists, and whether a department may go, ticketing decides and names the field the same way.
import { Injectable } from '@nestjs/common';
import {
  create,
  departmentViolations,
  GetRoutingTableRequestSchema,
  PutDepartmentsRequestSchema,
  PutRoutingRulesRequestSchema,
  ruleViolations,
  Rpcs,
  type DepartmentFields,
  type FieldViolation,
  type RoutingRuleFields,
  type RoutingTable,
} from '@switchboard/contracts';
import { RpcClient } from '@switchboard/messaging';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import type { Principal } from '../auth/roles';
import { GatewayError } from '../gateway.errors';

const TIMEOUT_MS = 15_000;
const CONDITIONS = ['intents', 'reasons', 'locales', 'tiers'] as const;
const RULE_FIELDS = new Set<string>([...CONDITIONS, 'department', 'priority']);

export interface DepartmentsBody {
  departments: DepartmentFields[];
  builtIn: boolean;
}
export interface RuleBody {
  intents: string[];
  reasons: string[];
  locales: string[];
  tiers: string[];
  department: string | null;
  priority: string | null;
}
export interface RoutingRulesBody {
  rules: RuleBody[];
  builtIn: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{"builtIn": true}` alone, or the list under `key`; anything else is a violation. */
function wholeList(body: Record<string, unknown>, key: string, violations: FieldViolation[]): unknown[] | 'builtIn' {
  for (const field of Object.keys(body).filter((k) => k !== key && k !== 'builtIn'))
    violations.push({ field, problem: `is not a field here (only ${key}, or builtIn)` });
  if (body.builtIn === true) {
    if (key in body) violations.push({ field: key, problem: 'must not be sent with builtIn: true' });
    return 'builtIn';
  }
  if (body.builtIn !== undefined && body.builtIn !== false) violations.push({ field: 'builtIn', problem: 'must be true or false' });
  if (!Array.isArray(body[key])) {
    violations.push({ field: key, problem: `is required: the whole list (or send {"builtIn": true} for the built-in set)` });
    return [];
  }
  return body[key] as unknown[];
}

/** The body of PUT /v1/departments, or a 400 naming each wrong field. */
export function parseDepartments(body: Record<string, unknown>): DepartmentFields[] | undefined {
  const violations: FieldViolation[] = [];
  const list = wholeList(body, 'departments', violations);
  if (list === 'builtIn') {
    if (violations.length > 0) throw GatewayError.invalid(violations);
    return undefined;
  }
  const departments = list.map((d, i) => {
    if (!isRecord(d)) {
      violations.push({ field: `departments[${i}]`, problem: 'must be an object with id and name' });
      return { id: '', name: '' };
    }
    for (const f of Object.keys(d).filter((k) => k !== 'id' && k !== 'name'))
      violations.push({ field: `departments[${i}].${f}`, problem: 'is not a field of a department (only id, name)' });
    if (typeof d.id !== 'string') violations.push({ field: `departments[${i}].id`, problem: 'is required: a text' });
    if (typeof d.name !== 'string') violations.push({ field: `departments[${i}].name`, problem: 'is required: a text' });
    return { id: typeof d.id === 'string' ? d.id : '', name: typeof d.name === 'string' ? d.name.trim() : '' };
  });
  const typed = new Set(violations.map((v) => v.field));
  violations.push(...departmentViolations(departments).filter((v) => !typed.has(v.field)));
  if (violations.length > 0) throw GatewayError.invalid(violations);
  return departments;
}

function ruleOf(raw: unknown, i: number, violations: FieldViolation[]): RoutingRuleFields {
  const at = `rules[${i}]`;
  const rule: RoutingRuleFields = { intents: [], reasons: [], locales: [], tiers: [], department: '', priority: '' };
  if (!isRecord(raw)) {
    violations.push({ field: at, problem: 'must be an object (intents, reasons, locales, tiers, department, priority)' });
    return rule;
  }
  for (const f of Object.keys(raw).filter((k) => !RULE_FIELDS.has(k)))
    violations.push({
      field: `${at}.${f}`,
      problem: 'is not a field of a rule (only intents, reasons, locales, tiers, department, priority)',
    });
  for (const c of CONDITIONS) {
    const values = raw[c] ?? [];
    if (Array.isArray(values) && values.every((v) => typeof v === 'string'))
      // Tiers are compared lowercased (routing-rules.ts), so they are stored that way.
      rule[c] = values.map((v) => (c === 'tiers' ? v.trim().toLowerCase() : v.trim()));
    else violations.push({ field: `${at}.${c}`, problem: 'must be a list of texts (empty: any)' });
  }
  for (const f of ['department', 'priority'] as const) {
    const value = raw[f] ?? '';
    if (typeof value === 'string') rule[f] = value.trim();
    else violations.push({ field: `${at}.${f}`, problem: 'must be a text (or null for none)' });
  }
  return rule;
}

/** The body of PUT /v1/routing-rules, or a 400 naming each wrong field. */
export function parseRoutingRules(body: Record<string, unknown>): RoutingRuleFields[] | undefined {
  const violations: FieldViolation[] = [];
  const list = wholeList(body, 'rules', violations);
  if (list === 'builtIn') {
    if (violations.length > 0) throw GatewayError.invalid(violations);
    return undefined;
  }
  const rules = list.map((raw, i) => ruleOf(raw, i, violations));
  const typed = new Set(violations.map((v) => v.field));
  violations.push(...ruleViolations(rules).filter((v) => !typed.has(v.field)));
  if (violations.length > 0) throw GatewayError.invalid(violations);
  return rules;
}

const departmentsOf = (t: RoutingTable): DepartmentsBody => ({
  departments: t.departments.map((d) => ({ id: d.id, name: d.name })),
  builtIn: t.builtInDepartments,
});
const rulesOf = (t: RoutingTable): RoutingRulesBody => ({
  rules: t.rules.map((r) => ({
    intents: r.intents,
    reasons: r.reasons,
    locales: r.locales,
    tiers: r.tiers,
    department: r.department || null,
    priority: r.priority || null,
  })),
  builtIn: t.builtInRules,
});

@Injectable()
export class RoutingTableService {
  constructor(
    private readonly rpc: RpcClient,
    readonly audit?: AuditTrail,
  ) {}

  private table(caller: Principal): Promise<RoutingTable> {
    const request = create(GetRoutingTableRequestSchema, { tenantId: caller.tenantId });
    return this.rpc.request(Rpcs.routingTableGet, request, { timeoutMs: TIMEOUT_MS });
  }

  @Audited('department.read', 'department')
  async departments(caller: Principal): Promise<DepartmentsBody> {
    return departmentsOf(await this.table(caller));
  }

  @Audited('department.put', 'department')
  async putDepartments(caller: Principal, body: Record<string, unknown>): Promise<DepartmentsBody> {
    const departments = parseDepartments(body);
    const request = create(PutDepartmentsRequestSchema, {
      tenantId: caller.tenantId,
      departments: departments ?? [],
      builtIn: !departments,
    });
    return departmentsOf(await this.rpc.request(Rpcs.departmentsPut, request, { timeoutMs: TIMEOUT_MS }));
  }

  @Audited('routing.rules.read', 'routing_rules')
  async rules(caller: Principal): Promise<RoutingRulesBody> {
    return rulesOf(await this.table(caller));
  }

  @Audited('routing.rules.put', 'routing_rules')
  async putRules(caller: Principal, body: Record<string, unknown>): Promise<RoutingRulesBody> {
    const rules = parseRoutingRules(body);
    const request = create(PutRoutingRulesRequestSchema, { tenantId: caller.tenantId, rules: rules ?? [], builtIn: !rules });
    return rulesOf(await this.rpc.request(Rpcs.routingRulesPut, request, { timeoutMs: TIMEOUT_MS }));
  }
}
