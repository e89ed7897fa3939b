// Runs one operation for one tenant: checks the arguments against the operation's schema, holds
// the caller to the identity, confirmation and ownership rules, then runs it on the tenant's order
// system (the reference system or the company's own, through a connector). The rules live here,
// above the connector, so they are the same whichever system answers.
// Every refusal comes back as { ok: false, error }; only a fault (e.g. the database) throws.
import type { ChangeArguments, ChangeOperation, OrderSystemFor } from '../connectors/order-system';
import { argumentProblems, type ArgumentsSchema } from './argument.schema';
import { OperationScope, type Caller } from './operation-scope';
import { describe, RETAIL_TOOLS, type RetailTool } from './retail-tools.schema';
import { Refusal } from './tool.errors';

export type ToolOutcome = { ok: true; result: unknown } | { ok: false; error: string };

export interface ToolDescription {
  name: string;
  description: string;
  parameters: ArgumentsSchema;
  /** Changes state: needs verified identity and the customer's confirmation. */
  consequential: boolean;
}

const TOOLS: ReadonlyMap<string, RetailTool> = new Map(Object.entries(RETAIL_TOOLS));

/** Every operation as an agent sees it (OpenAI function definitions, plus `consequential`). */
export function describeTools(): ToolDescription[] {
  return [...TOOLS].map(([name, tool]) => ({
    name,
    description: describe(tool),
    parameters: tool.parameters,
    consequential: tool.access === 'consequential',
  }));
}

export function isConsequential(operation: string): boolean {
  return TOOLS.get(operation)?.access === 'consequential';
}

export class ToolService {
  constructor(private readonly orderSystemFor: OrderSystemFor) {}

  async call(tenantId: string, operation: string, args: unknown, caller: Caller): Promise<ToolOutcome> {
    try {
      const tool = TOOLS.get(operation);
      if (!tool) throw new Refusal(`unknown operation "${operation}"; the operations are ${[...TOOLS.keys()].join(', ')}`);
      const problems = argumentProblems(tool.parameters, args);
      if (problems.length > 0) throw new Refusal(`invalid arguments for ${operation}: ${problems.join('; ')}`);
      authorize(operation, tool, caller);
      const system = this.orderSystemFor(tenantId);
      const scope = new OperationScope(system, caller);
      if (tool.access !== 'consequential') return { ok: true, result: await tool.run(scope, args as never) };
      await requireOwnRecord(scope, args as ChangeArguments);
      return { ok: true, result: await system.change(operation as ChangeOperation, args as ChangeArguments) };
    } catch (error) {
      if (error instanceof Refusal) return { ok: false, error: error.message };
      throw error;
    }
  }
}

/** The policy's rules that do not depend on the records; ownership is checked by the scope. */
function authorize(operation: string, tool: RetailTool, caller: Caller): void {
  if (caller.kind === 'operator' || tool.access === 'lookup') return;
  if (!caller.verifiedUserId) {
    throw new Refusal(
      `identity not verified: ${operation} needs the customer's user id, found first with find_user_id_by_email or find_user_id_by_name_zip`,
    );
  }
  if (tool.access === 'consequential' && !caller.confirmed) {
    throw new Refusal(
      `${operation} needs the customer's explicit confirmation: list the action details, get a yes, then call again with confirmed set`,
    );
  }
}

/** A change acts on an order (order_id) or an account (user_id): it must exist and be the caller's. */
async function requireOwnRecord(scope: OperationScope, args: ChangeArguments): Promise<void> {
  if (typeof args.order_id === 'string') await scope.order(args.order_id);
  else if (typeof args.user_id === 'string') await scope.user(args.user_id);
}
