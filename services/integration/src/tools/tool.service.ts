// Runs one operation for one tenant: checks the arguments against the operation's schema, holds
// the caller to the identity and confirmation rules, then runs it in one Postgres transaction.
// Every refusal comes back as { ok: false, error }; only a fault (e.g. the database) throws.
import type { ReferenceStore } from '../reference/reference.repository';
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
  return [...TOOLS].map(([name, tool]) => ({ name, description: describe(tool), parameters: tool.parameters, consequential: tool.access === 'consequential' }));
}

export function isConsequential(operation: string): boolean {
  return TOOLS.get(operation)?.access === 'consequential';
}

export class ToolService {
  constructor(private readonly store: ReferenceStore) {}

  async call(tenantId: string, operation: string, args: unknown, caller: Caller): Promise<ToolOutcome> {
    try {
      const tool = TOOLS.get(operation);
      if (!tool) throw new Refusal(`unknown operation "${operation}"; the operations are ${[...TOOLS.keys()].join(', ')}`);
      const problems = argumentProblems(tool.parameters, args);
      if (problems.length > 0) throw new Refusal(`invalid arguments for ${operation}: ${problems.join('; ')}`);
      authorize(operation, tool, caller);
      const changesState = tool.access === 'consequential';
      const result = await this.store.transaction(tenantId, (records) => tool.run(new OperationScope(records, caller, changesState), args as never));
      return { ok: true, result };
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
    throw new Refusal(`identity not verified: ${operation} needs the customer's user id, found first with find_user_id_by_email or find_user_id_by_name_zip`);
  }
  if (tool.access === 'consequential' && !caller.confirmed) {
    throw new Refusal(`${operation} needs the customer's explicit confirmation: list the action details, get a yes, then call again with confirmed set`);
  }
}
