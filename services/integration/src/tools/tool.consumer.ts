import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import {
  create,
  ListToolsResultSchema,
  Rpcs,
  ToolCallResultSchema,
  type ToolCallRequest,
  type ToolCallResult,
} from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus, serveRpc } from '@switchboard/messaging';
import { LOGGER } from '@switchboard/platform';
import { describeTools, isConsequential, ToolService } from './tool.service';

@Injectable()
export class ToolConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly bus: KafkaBus,
    private readonly tools: ToolService,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await serveRpc(this.bus, Rpcs.integrationTools, async () => this.list(), this.log, { concurrency: 3 });
    await serveRpc(this.bus, Rpcs.integrationTool, (request) => this.call(request), this.log, { concurrency: 6 });
  }

  private list() {
    const tools = describeTools().map((t) => ({
      name: t.name,
      description: t.description,
      parametersJsonSchema: JSON.stringify(t.parameters),
      consequential: t.consequential,
    }));
    return create(ListToolsResultSchema, { tools });
  }

  private async call(request: ToolCallRequest): Promise<ToolCallResult> {
    const args: unknown = request.argumentsJson === '' ? {} : JSON.parse(request.argumentsJson); // the topic's rules checked it is a JSON object
    const outcome = await this.tools.call(request.tenantId, request.operation, args, {
      kind: 'customer',
      verifiedUserId: request.verifiedUserId,
      confirmed: request.confirmed,
    });
    // State changes are the audit trail a support lead asks for first.
    if (isConsequential(request.operation)) {
      this.log.info(
        {
          tenantId: request.tenantId,
          conversationId: request.conversationId,
          operation: request.operation,
          ok: outcome.ok,
          error: outcome.ok ? undefined : outcome.error,
        },
        'consequential tool call',
      );
    }
    return outcome.ok
      ? create(ToolCallResultSchema, { ok: true, resultJson: JSON.stringify(outcome.result) })
      : create(ToolCallResultSchema, { ok: false, error: outcome.error });
  }
}
