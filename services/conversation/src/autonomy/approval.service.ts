// Approvals: a confirmed order action whose intent is below the tenant's bar waits here for a
// person. Approving runs exactly the prepared call, once, under the customer's verified identity
// (the order system checks ownership again); rejecting tells the customer and hands them to a
// person. Either way the customer reads the outcome on their conversation's stream.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  ApprovalSchema,
  create,
  DecideApprovalResultSchema,
  ListApprovalsResultSchema,
  OutboundEventSchema,
  Topics,
  type Approval,
  type ConversationEventSchema,
  type DecideApprovalRequest,
  type DecideApprovalResult,
  type ListApprovalsRequest,
  type ListApprovalsResult,
  type MessageInitShape,
} from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { RpcRemoteError } from '@switchboard/messaging';
import { Outbox } from '@switchboard/persistence';
import { CONFIG, LOGGER, RepeatingTask } from '@switchboard/platform';
import type { ConversationConfig } from '../config';
import { MessageContent } from '../conversations/conversation.repository';
import type { OrderDetails } from '../dialogue/order-tools';
import { statusText } from '../dialogue/order-status.task';
import { AgentDeskError } from '../agents/agent-desk.errors';
import { DownstreamClient } from '../turns/downstream.client';
import { phrasebook, type Language } from '../turns/replies';
import { AutonomyRepository, type ApprovalRecord } from './autonomy.repository';

type EventKind = MessageInitShape<typeof ConversationEventSchema>['kind'];

/** How often approved calls cut short by a crash are looked for (and once at start-up). */
const RESUME_EVERY_MS = 30_000;

@Injectable()
export class ApprovalService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly content: MessageContent;
  private readonly resumer: RepeatingTask;

  constructor(
    private readonly db: DataSource,
    private readonly outbox: Outbox,
    private readonly approvals: AutonomyRepository,
    private readonly downstream: DownstreamClient,
    @Inject(CONFIG) private readonly config: ConversationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.content = MessageContent.fromConfig(config);
    this.resumer = new RepeatingTask('resuming interrupted approvals', () => this.resumeInterrupted(), log);
  }

  onApplicationBootstrap(): void {
    this.resumer.start(RESUME_EVERY_MS, { now: true });
  }

  onApplicationShutdown(): Promise<void> {
    return this.resumer.stop();
  }

  async list(request: ListApprovalsRequest): Promise<ListApprovalsResult> {
    const records = await this.approvals.list(request.tenantId, { status: request.status, id: request.approvalId });
    return create(ListApprovalsResultSchema, { approvals: records.map(toApproval) });
  }

  async decide(request: DecideApprovalRequest): Promise<DecideApprovalResult> {
    const claimed = await this.db.transaction(async (m) => {
      const approval = await this.approvals.lock(m, request.tenantId, request.approvalId);
      if (!approval) throw new AgentDeskError('APPROVAL_NOT_FOUND', `approval ${request.approvalId} does not exist for this tenant`);
      // Decided already (or being carried out by another request): nothing runs or is sent again.
      if (approval.status !== 'pending') return { approval, already: true };
      // A person holding the conversation speaks for it: nobody else acts in it behind their back.
      const holder = await this.holder(m, request.tenantId, approval.conversationId);
      if (holder && holder !== request.agentId)
        throw new AgentDeskError(
          'CONVERSATION_HELD',
          `conversation ${approval.conversationId} is held by ${holder}; only they can decide its approvals until they hand it back`,
        );
      if (!request.approve) {
        await this.approvals.decide(m, request.tenantId, approval.id, {
          status: 'rejected',
          decidedBy: request.agentId,
          reason: request.reason,
        });
        await this.tell(m, approval, phrasebook(approval.language as Language).approvalRejected(request.reason), true);
        return {
          approval: { ...approval, status: 'rejected' as const, decidedBy: request.agentId, reason: request.reason },
          already: false,
        };
      }
      await this.approvals.decide(m, request.tenantId, approval.id, { status: 'approving', decidedBy: request.agentId });
      return { approval, already: false, run: true };
    });
    await this.outbox.flush();
    if (claimed.already || !('run' in claimed)) {
      const [current] = await this.approvals.list(request.tenantId, { id: request.approvalId });
      return create(DecideApprovalResultSchema, { approval: toApproval(current ?? claimed.approval), alreadyDecided: claimed.already });
    }
    await this.carryOut(claimed.approval);
    const [current] = await this.approvals.list(request.tenantId, { id: claimed.approval.id });
    return create(DecideApprovalResultSchema, { approval: toApproval(current), alreadyDecided: false });
  }

  /**
   * Carries out again the approved calls whose run a crash cut short (still "approving" well past a
   * turn's deadline), so the customer is told the outcome. The call keeps its request id, the
   * approval's: the order system's side answers a call it already made from its reply store
   * (5 minutes) instead of making it twice.
   */
  async resumeInterrupted(): Promise<number> {
    const interrupted = await this.approvals.claimInterrupted(new Date(Date.now() - 2 * this.config.TURN_DEADLINE_MS));
    for (const approval of interrupted) {
      this.log.warn({ approvalId: approval.id, operation: approval.operation }, 'resuming an approved action a crash interrupted');
      await this.carryOut(approval);
    }
    return interrupted.length;
  }

  /** Runs an approval claimed as "approving", records the outcome and tells the customer. */
  private async carryOut(approval: ApprovalRecord): Promise<void> {
    const { outcome, text } = await this.run(approval);
    await this.db.transaction(async (m) => {
      await this.approvals.decide(m, approval.tenantId, approval.id, { status: 'approved', outcome });
      await this.tell(m, approval, text, false);
    });
    await this.outbox.flush();
    this.log.info(
      { approvalId: approval.id, operation: approval.operation, decidedBy: approval.decidedBy, outcome },
      'approved action carried out',
    );
  }

  /** The prepared call, exactly as the customer confirmed it, with their verified identity. */
  private async run(approval: ApprovalRecord): Promise<{ outcome: string; text: string }> {
    const say = phrasebook(approval.language as Language);
    const scope = {
      tenantId: approval.tenantId,
      conversationId: approval.conversationId,
      deadline: Date.now() + this.config.TURN_DEADLINE_MS,
    };
    try {
      const result = await this.downstream.tool(scope, approval.operation, approval.args, approval.verifiedUserId, true, approval.id);
      if (!result.ok) return { outcome: `refused: ${result.error}`, text: say.refused(result.error) };
      if (!approval.orderId) return { outcome: 'done', text: say.doneAccount };
      const order = JSON.parse(result.resultJson || 'null') as OrderDetails;
      return {
        outcome: `done: ${order.status}`,
        text: say.done(order.order_id, statusText(order.status, approval.language as Language)),
      };
    } catch (error) {
      // Refused before it ran (bad arguments), or the order system did not answer: said so, never retried blindly.
      const problem =
        error instanceof RpcRemoteError && error.code === 'INVALID_ARGUMENT' ? error.message : 'the order system did not answer';
      this.log.error({ err: error, approvalId: approval.id }, 'the approved action failed');
      return { outcome: `failed: ${problem}`, text: say.refused(problem) };
    }
  }

  /** A bot message in the conversation (stored, and on the customer's stream as an event of no turn). */
  private async tell(m: EntityManager, approval: ApprovalRecord, text: string, handOff: boolean): Promise<void> {
    const id = randomUUID();
    await m.query(
      `insert into conversation.messages (tenant_id, id, conversation_id, turn_id, role, content, metadata) values ($1, $2, $3, $2, 'bot', $4, $5)`,
      [
        approval.tenantId,
        id,
        approval.conversationId,
        this.content.seal(approval.tenantId, id, text),
        JSON.stringify({ mode: 'template', approvalId: approval.id }),
      ],
    );
    await this.publish(m, approval, { case: 'reply', value: { text, mode: 'template', grounded: false, sources: [] } });
    if (handOff) {
      await m.query(
        `update conversation.conversations set status = 'handed_off', updated_at = now() where tenant_id = $1 and id = $2 and status = 'bot'`,
        [approval.tenantId, approval.conversationId],
      );
      await this.publish(m, approval, { case: 'handoff', value: { reason: 'approval_rejected', message: text } });
    }
  }

  /** The agent holding the conversation, or undefined while the bot (or nobody yet) has it. */
  private async holder(m: EntityManager, tenantId: string, conversationId: string): Promise<string | undefined> {
    const rows: Array<{ agent_id: string | null }> = await m.query(
      `select agent_id from conversation.conversations where tenant_id = $1 and id = $2 and status = 'agent'`,
      [tenantId, conversationId],
    );
    return rows[0]?.agent_id ?? undefined;
  }

  private async publish(m: EntityManager, approval: ApprovalRecord, kind: EventKind): Promise<void> {
    await this.outbox.stage(
      m,
      Topics.outbound,
      create(OutboundEventSchema, {
        tenantId: approval.tenantId,
        event: { eventId: randomUUID(), conversationId: approval.conversationId, turnId: '', occurredAt: new Date().toISOString(), kind },
      }),
      { conversationId: approval.conversationId },
    );
  }
}

export function toApproval(r: ApprovalRecord): Approval {
  return create(ApprovalSchema, {
    id: r.id,
    conversationId: r.conversationId,
    customerId: r.customerId,
    intent: r.intent,
    operation: r.operation,
    argumentsJson: JSON.stringify(r.args),
    confirmation: r.confirmation,
    // The claim in flight reads as approved: a person decided it.
    status: r.status === 'approving' ? 'approved' : r.status,
    createdAt: r.createdAt.toISOString(),
    decidedBy: r.decidedBy ?? '',
    decidedAt: r.decidedAt?.toISOString() ?? '',
    reason: r.reason ?? '',
    outcome: r.outcome ?? '',
    why: r.why,
  });
}
