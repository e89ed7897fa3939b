// The conversation's calls to moderation, retrieval and generation. Each call has its own timeout;
// a call that times out (a service restarting, say) is asked again until the turn's deadline, so a
// short outage delays a reply instead of losing it. Every attempt of a call carries the same request
// id: the responder answers it once (a slow LLM call is not started twice) and sends its stored
// reply to a repeat, and whichever attempt's reply arrives first answers the call.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  ListKnowledgeBasesRequestSchema,
  create,
  Direction,
  Rpcs,
  AnswerRequestSchema,
  CheckRequestSchema,
  SearchRequestSchema,
  SummarizeRequestSchema,
  ToolCallRequestSchema,
  type AnswerResult,
  type CheckResult,
  type Passage,
  type SearchResult,
  type ToolCallResult,
} from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { RpcClient, RpcTimeoutError } from '@switchboard/messaging';
import { CONFIG, LOGGER } from '@switchboard/platform';
import type { ConversationConfig } from '../config';

export class TurnDeadlineExceeded extends Error {
  constructor(what: string) {
    super(`the turn's deadline passed while waiting for ${what}`);
    this.name = 'TurnDeadlineExceeded';
  }
}

export interface TurnScope {
  tenantId: string;
  conversationId: string;
  /** Epoch ms after which the turn stops waiting. */
  deadline: number;
}

@Injectable()
export class DownstreamClient {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(CONFIG) private readonly config: ConversationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  moderate(scope: TurnScope, direction: Direction, text: string): Promise<CheckResult> {
    return this.call(scope, 'moderation', this.config.MODERATION_TIMEOUT_MS, (requestId) =>
      this.rpc.request(
        Rpcs.moderationCheck,
        create(CheckRequestSchema, { tenantId: scope.tenantId, conversationId: scope.conversationId, direction, text }),
        { timeoutMs: this.config.MODERATION_TIMEOUT_MS, conversationId: scope.conversationId, requestId },
      ),
    );
  }

  search(scope: TurnScope, query: string, locale: string): Promise<SearchResult> {
    return this.call(scope, 'retrieval', this.config.RETRIEVAL_TIMEOUT_MS, (requestId) =>
      this.rpc.request(Rpcs.retrievalSearch, create(SearchRequestSchema, { tenantId: scope.tenantId, query, limit: 5, locale }), {
        timeoutMs: this.config.RETRIEVAL_TIMEOUT_MS,
        conversationId: scope.conversationId,
        requestId,
      }),
    );
  }

  /** Streams the reply to the customer as it is written; `tools` may be called on behalf of `verifiedUserId`. */
  answer(
    scope: TurnScope,
    turn: { turnId: string; question: string; locale: string },
    context: { passages: Passage[]; facts: Array<{ name: string; value: string }>; tools: string[]; verifiedUserId: string },
  ): Promise<AnswerResult> {
    const request = create(AnswerRequestSchema, {
      tenantId: scope.tenantId,
      conversationId: scope.conversationId,
      ...turn,
      ...context,
      stream: true,
    });
    return this.call(scope, 'generation', this.config.GENERATION_TIMEOUT_MS, (requestId) =>
      this.rpc.request(Rpcs.generationAnswer, request, {
        timeoutMs: this.config.GENERATION_TIMEOUT_MS,
        conversationId: scope.conversationId,
        requestId,
      }),
    );
  }

  /** The tenant's knowledge revision (it moves on every ingest and delete), for the autonomy check. */
  async knowledgeRevision(scope: TurnScope): Promise<number> {
    const result = await this.call(scope, 'retrieval', this.config.RETRIEVAL_TIMEOUT_MS, () =>
      this.rpc.request(Rpcs.kbList, create(ListKnowledgeBasesRequestSchema, { tenantId: scope.tenantId }), {
        timeoutMs: this.config.RETRIEVAL_TIMEOUT_MS,
        conversationId: scope.conversationId,
      }),
    );
    return Number(result.revision);
  }

  /** A hand-off summary by the LLM; empty when none could be written. Asked once: the customer is waiting. */
  async summarize(scope: TurnScope, locale: string, lines: string[], facts: Array<{ name: string; value: string }>): Promise<string> {
    const request = create(SummarizeRequestSchema, {
      tenantId: scope.tenantId,
      conversationId: scope.conversationId,
      locale,
      lines,
      facts,
    });
    try {
      const result = await this.rpc.request(Rpcs.generationSummarize, request, {
        timeoutMs: this.config.SUMMARY_TIMEOUT_MS,
        conversationId: scope.conversationId,
      });
      return result.summary;
    } catch (error) {
      this.log.warn({ err: error }, 'no hand-off summary from generation; using the dialogue state');
      return '';
    }
  }

  tool(
    scope: TurnScope,
    operation: string,
    args: Record<string, unknown>,
    verifiedUserId = '',
    confirmed = false,
    requestId: string = randomUUID(),
  ): Promise<ToolCallResult> {
    const request = create(ToolCallRequestSchema, {
      tenantId: scope.tenantId,
      conversationId: scope.conversationId,
      operation,
      argumentsJson: JSON.stringify(args),
      verifiedUserId,
      confirmed,
    });
    return this.call(
      scope,
      'integration',
      this.config.INTEGRATION_TIMEOUT_MS,
      (id) =>
        this.rpc.request(Rpcs.integrationTool, request, {
          timeoutMs: this.config.INTEGRATION_TIMEOUT_MS,
          conversationId: scope.conversationId,
          requestId: id,
        }),
      requestId,
    );
  }

  /** Asks until answered or the turn's deadline, always under one request id: the responder answers a repeat from its reply store. */
  private async call<T>(
    scope: TurnScope,
    what: string,
    timeoutMs: number,
    send: (requestId: string) => Promise<T>,
    requestId: string = randomUUID(),
  ): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      if (Date.now() + Math.min(timeoutMs, 1000) > scope.deadline) throw new TurnDeadlineExceeded(what);
      try {
        return await send(requestId);
      } catch (error) {
        if (!(error instanceof RpcTimeoutError)) throw error;
        this.log.warn({ service: what, attempt }, `${what} did not answer in time; asking again`);
      }
    }
  }
}
