// The integration service's tools, as the model sees them: their definitions (fetched with
// integration.tools.v1 and cached per tenant for a minute, since they change with deployments,
// not per turn) and their execution (integration.tool.v1).
import { Inject, Injectable } from '@nestjs/common';
import { create, ListToolsRequestSchema, Rpcs, ToolCallRequestSchema, type ToolDefinition } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { RpcClient, RpcRemoteError } from '@switchboard/messaging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { GenerationConfig } from '../config';
import type { ToolSpec } from '../llm/llm.client';
import { withoutPersonalData } from './personal-data';

const DEFINITIONS_TTL_MS = 60_000;

export interface ToolOutcome {
  ok: boolean;
  /** What the model is shown: the result's JSON, or an error it can explain to the customer. */
  content: string;
}

export interface ToolScope {
  tenantId: string;
  conversationId: string;
  verifiedUserId: string;
}

@Injectable()
export class ToolsClient {
  private readonly definitions = new Map<string, { expiresAt: number; tools: Promise<ToolDefinition[]> }>();

  constructor(
    private readonly rpc: RpcClient,
    @Inject(CONFIG) private readonly config: GenerationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  /** The named tools as OpenAI function tools; names the integration service does not offer are left out. */
  async specs(tenantId: string, names: string[]): Promise<ToolSpec[]> {
    if (names.length === 0) return [];
    const wanted = new Set(names);
    const specs: ToolSpec[] = [];
    for (const tool of await this.definitionsOf(tenantId)) {
      if (!wanted.has(tool.name)) continue;
      const parameters = parseSchema(tool.parametersJsonSchema);
      if (!parameters) {
        this.log.warn({ tool: tool.name }, 'tool has no valid JSON Schema for its arguments; not offering it to the model');
        continue;
      }
      // The model cannot confirm on the customer's behalf; saying so up front saves a refused call.
      const description = tool.consequential
        ? `${tool.description} Changes the customer's order or account: only after they explicitly confirmed it.`
        : tool.description;
      specs.push({ type: 'function', function: { name: tool.name, description, parameters } });
    }
    return specs;
  }

  /**
   * Runs one call the model asked for. `confirmed` is always false: only the customer can confirm
   * a consequential action, and the integration service refuses it until they have. Failures come
   * back as a result the model can explain, never as an exception.
   */
  async call(scope: ToolScope, operation: string, argumentsJson: string): Promise<ToolOutcome> {
    const args = argumentsJson.trim() || '{}';
    if (!isJsonObject(args))
      return {
        ok: false,
        content: JSON.stringify({ error: 'the arguments were not a JSON object; call the tool again with valid arguments' }),
      };
    try {
      const result = await this.rpc.request(
        Rpcs.integrationTool,
        create(ToolCallRequestSchema, {
          tenantId: scope.tenantId,
          conversationId: scope.conversationId,
          operation,
          argumentsJson: args,
          verifiedUserId: scope.verifiedUserId,
          confirmed: false,
        }),
        { timeoutMs: this.config.TOOLS_TIMEOUT_MS, conversationId: scope.conversationId },
      );
      return result.ok
        ? { ok: true, content: withoutPersonalData(result.resultJson || '{}') }
        : { ok: false, content: JSON.stringify({ error: result.error || 'the operation failed' }) };
    } catch (error) {
      this.log.warn({ tool: operation, err: error }, 'tool call failed');
      // A refusal from the integration service is meant to be explained; a silence is not.
      const reason = error instanceof RpcRemoteError ? error.message : 'the order system is not answering right now';
      return { ok: false, content: JSON.stringify({ error: reason }) };
    }
  }

  private definitionsOf(tenantId: string): Promise<ToolDefinition[]> {
    const cached = this.definitions.get(tenantId);
    if (cached && cached.expiresAt > Date.now()) return cached.tools;
    const tools = this.rpc
      .request(Rpcs.integrationTools, create(ListToolsRequestSchema, { tenantId }), { timeoutMs: this.config.TOOLS_TIMEOUT_MS })
      .then((result) => result.tools);
    this.definitions.set(tenantId, { expiresAt: Date.now() + DEFINITIONS_TTL_MS, tools });
    // A failed fetch is not kept: the next turn asks again.
    tools.catch(() => {
      if (this.definitions.get(tenantId)?.tools === tools) this.definitions.delete(tenantId);
    });
    return tools;
  }
}

function parseSchema(json: string): Record<string, unknown> | undefined {
  try {
    const schema: unknown = JSON.parse(json || '{"type":"object","properties":{}}');
    return typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? (schema as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
