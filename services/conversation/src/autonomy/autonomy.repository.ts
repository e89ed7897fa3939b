// Autonomy's tables (migrations/1790000000000-autonomy.ts): each tenant's bars, the simulator's
// figures per intent, and the approval requests. An approval's call and confirmation text hold an
// address or an order's items, so they are encrypted, bound to their tenant, column and row.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { FieldCipher, type EncryptionConfig } from '@switchboard/crypto';
import { CONFIG } from '@switchboard/platform';
import type { IntentFigures } from './autonomy-decision';

export const APPROVAL_ARGUMENTS = 'conversation.approvals.arguments';
export const APPROVAL_CONFIRMATION = 'conversation.approvals.confirmation';

export type ApprovalStatus = 'pending' | 'approving' | 'approved' | 'rejected';

/** What the bot prepared when the customer said yes. */
export interface ApprovalDraft {
  id: string;
  tenantId: string;
  conversationId: string;
  customerId: string;
  turnId: string;
  language: string;
  intent: string;
  operation: string;
  args: Record<string, unknown>;
  confirmation: string;
  verifiedUserId: string;
  orderId: string;
  why: string;
}

export interface ApprovalRecord extends ApprovalDraft {
  status: ApprovalStatus;
  decidedBy?: string;
  decidedAt?: Date;
  reason?: string;
  outcome?: string;
  createdAt: Date;
}

interface ApprovalRow {
  tenant_id: string;
  id: string;
  conversation_id: string;
  customer_id: string;
  turn_id: string;
  language: string;
  intent: string;
  operation: string;
  arguments: string;
  confirmation: string;
  verified_user_id: string;
  order_id: string;
  why: string;
  status: ApprovalStatus;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  outcome: string | null;
  created_at: Date;
}

const LIST_LIMIT = 200;

@Injectable()
export class AutonomyRepository {
  private readonly cipher: FieldCipher;

  constructor(
    private readonly db: DataSource,
    @Inject(CONFIG) config: EncryptionConfig,
  ) {
    this.cipher = FieldCipher.fromConfig(config);
  }

  /** The tenant's bars by intent; an intent without one has bar 0. */
  async bars(tenantId: string): Promise<Map<string, number>> {
    const rows: Array<{ intent: string; pass_k: number }> = await this.db.query(
      'select intent, pass_k from conversation.autonomy_bars where tenant_id = $1 order by intent',
      [tenantId],
    );
    return new Map(rows.map((r) => [r.intent, Number(r.pass_k)]));
  }

  /** Replaces the tenant's bars as a whole (a bar of 0 is the default, so it is not stored). */
  async putBars(tenantId: string, bars: Array<{ intent: string; passK: number }>): Promise<void> {
    await this.db.transaction(async (m) => {
      await m.query('delete from conversation.autonomy_bars where tenant_id = $1', [tenantId]);
      for (const bar of bars.filter((b) => b.passK > 0)) {
        await m.query('insert into conversation.autonomy_bars (tenant_id, intent, pass_k) values ($1, $2, $3)', [
          tenantId,
          bar.intent,
          bar.passK,
        ]);
      }
    });
  }

  async figures(tenantId: string, intent: string): Promise<IntentFigures | undefined> {
    const rows: Array<{
      tasks: number;
      k: number;
      pass_1: number;
      pass_k: number;
      measured_at: Date;
      intents_revision: string;
      knowledge_revision: string;
      flows_revision: string;
    }> = await this.db.query(
      'select tasks, k, pass_1, pass_k, measured_at, intents_revision, knowledge_revision, flows_revision from conversation.intent_figures where tenant_id = $1 and intent = $2',
      [tenantId, intent],
    );
    const r = rows[0];
    return r
      ? {
          tasks: r.tasks,
          k: r.k,
          pass1: Number(r.pass_1),
          passK: Number(r.pass_k),
          measuredAt: r.measured_at,
          intentsRevision: Number(r.intents_revision),
          knowledgeRevision: Number(r.knowledge_revision),
          flowsRevision: r.flows_revision,
        }
      : undefined;
  }

  /** Notes that a process running these flows has started (the newest is what `simulate --record` measured). */
  async noteRunningFlows(revision: string): Promise<void> {
    await this.db.query(
      'insert into conversation.flows_revisions (revision, started_at) values ($1, now()) on conflict (revision) do update set started_at = now()',
      [revision],
    );
  }

  /** Stored with the bot's reply (same transaction); a redelivered turn finds its reply and never gets here twice. */
  async insertApproval(m: EntityManager, draft: ApprovalDraft): Promise<void> {
    const where = { tenantId: draft.tenantId, row: draft.id };
    await m.query(
      `insert into conversation.approvals (tenant_id, id, conversation_id, customer_id, turn_id, language, intent, operation, arguments,
         confirmation, verified_user_id, order_id, why)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        draft.tenantId,
        draft.id,
        draft.conversationId,
        draft.customerId,
        draft.turnId,
        draft.language,
        draft.intent,
        draft.operation,
        this.cipher.seal(JSON.stringify(draft.args), { ...where, column: APPROVAL_ARGUMENTS }),
        this.cipher.seal(draft.confirmation, { ...where, column: APPROVAL_CONFIRMATION }),
        draft.verifiedUserId,
        draft.orderId,
        draft.why,
      ],
    );
  }

  async list(tenantId: string, filter: { status?: string; id?: string }): Promise<ApprovalRecord[]> {
    const rows: ApprovalRow[] = await this.db.query(
      `select * from conversation.approvals where tenant_id = $1 and ($2::text is null or status = $2) and ($3::uuid is null or id = $3)
       order by created_at desc limit ${LIST_LIMIT}`,
      [tenantId, filter.status || null, filter.id || null],
    );
    return rows.map((r) => this.toRecord(r));
  }

  /** The request, locked until the transaction ends: two people deciding at once are served one after the other. */
  async lock(m: EntityManager, tenantId: string, id: string): Promise<ApprovalRecord | undefined> {
    const rows: ApprovalRow[] = await m.query('select * from conversation.approvals where tenant_id = $1 and id = $2 for update', [
      tenantId,
      id,
    ]);
    return rows[0] ? this.toRecord(rows[0]) : undefined;
  }

  /**
   * Approved calls whose run began before `before` and never finished (the process died mid-run),
   * each claimed for this run by moving its attempt time: two replicas never resume the same one.
   */
  async claimInterrupted(before: Date): Promise<ApprovalRecord[]> {
    const rows: ApprovalRow[] = await this.db.query(
      `with claimed as (
         update conversation.approvals a set attempted_at = now()
         from (select tenant_id, id from conversation.approvals where status = 'approving' and attempted_at < $1
               order by attempted_at limit 20 for update skip locked) s
         where a.tenant_id = s.tenant_id and a.id = s.id
         returning a.*)
       select * from claimed`,
      [before],
    );
    return rows.map((r) => this.toRecord(r));
  }

  async decide(
    m: EntityManager,
    tenantId: string,
    id: string,
    change: { status: ApprovalStatus; decidedBy?: string; reason?: string; outcome?: string },
  ): Promise<void> {
    await m.query(
      `update conversation.approvals set status = $3, decided_by = coalesce($4, decided_by), decided_at = coalesce(decided_at, now()),
         reason = coalesce($5, reason), outcome = coalesce($6, outcome),
         attempted_at = case when $3 = 'approving' then now() else attempted_at end
       where tenant_id = $1 and id = $2`,
      [tenantId, id, change.status, change.decidedBy ?? null, change.reason ?? null, change.outcome ?? null],
    );
  }

  private toRecord(r: ApprovalRow): ApprovalRecord {
    const where = { tenantId: r.tenant_id, row: r.id };
    return {
      tenantId: r.tenant_id,
      id: r.id,
      conversationId: r.conversation_id,
      customerId: r.customer_id,
      turnId: r.turn_id,
      language: r.language,
      intent: r.intent,
      operation: r.operation,
      args: JSON.parse(this.cipher.decrypt(r.arguments, { ...where, column: APPROVAL_ARGUMENTS })) as Record<string, unknown>,
      confirmation: this.cipher.decrypt(r.confirmation, { ...where, column: APPROVAL_CONFIRMATION }),
      verifiedUserId: r.verified_user_id,
      orderId: r.order_id,
      why: r.why,
      status: r.status,
      decidedBy: r.decided_by ?? undefined,
      decidedAt: r.decided_at ?? undefined,
      reason: r.reason ?? undefined,
      outcome: r.outcome ?? undefined,
      createdAt: r.created_at,
    };
  }
}
