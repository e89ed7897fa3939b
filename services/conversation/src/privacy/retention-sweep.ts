// Enforces each tenant's retention periods on a timer. Expired conversations are not deleted here:
// the sweep publishes erasure commands naming them, so every service (tickets, the gateway's
// streams, the order system's caches) erases its part through the one path a customer's request
// takes, and reports it. Attachment references are the conversation service's own and are removed
// in place. One replica sweeps at a time (an advisory lock); the others skip that round.
import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { create, ErasureCommandSchema, Topics } from '@switchboard/contracts';
import type { Logger } from '@switchboard/logging';
import { KafkaBus } from '@switchboard/messaging';
import { CONFIG, LOGGER, RepeatingTask } from '@switchboard/platform';
import type { ConversationConfig } from '../config';
import { RetentionPolicyRepository, type RetentionPeriods } from './retention-policy.repository';

/** The erasure command's limit on conversation ids. */
export const ERASURE_BATCH = 1000;
/** Conversations found per tenant per sweep; the next sweep finds the rest. */
const MAX_PER_TENANT = 50_000;
const SWEEP_LOCK = [...'retention:conversation'].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7);

export interface SweepResult {
  tenants: number;
  conversations: number;
  commands: number;
  attachmentReferences: number;
}

/** `items` in consecutive slices of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let i = 0; i < items.length; i += size) slices.push(items.slice(i, i + size));
  return slices;
}

@Injectable()
export class RetentionSweep implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly task: RepeatingTask;

  constructor(
    private readonly db: DataSource,
    private readonly bus: KafkaBus,
    private readonly policies: RetentionPolicyRepository,
    @Inject(CONFIG) private readonly config: ConversationConfig,
    @Inject(LOGGER) private readonly log: Logger,
  ) {
    this.task = new RepeatingTask('retention sweep', () => this.sweep(), log);
  }

  onApplicationBootstrap(): void {
    this.task.start(this.config.RETENTION_SWEEP_MS);
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  /** One sweep over every tenant with a policy; undefined when another replica holds the lock. */
  async sweep(): Promise<SweepResult | undefined> {
    return this.db.transaction(async (m) => {
      const [{ locked }] = await m.query<Array<{ locked: boolean }>>('select pg_try_advisory_xact_lock($1) as locked', [SWEEP_LOCK]);
      if (!locked) return undefined;
      const result: SweepResult = { tenants: 0, conversations: 0, commands: 0, attachmentReferences: 0 };
      for (const policy of await this.policies.enforced(m)) {
        result.tenants += 1;
        if (policy.conversationDays > 0) {
          const expired = await this.expiredConversations(m, policy);
          for (const conversationIds of batches(expired, ERASURE_BATCH)) {
            await this.bus.publish(
              Topics.erasureCommands,
              create(ErasureCommandSchema, {
                tenantId: policy.tenantId,
                requestId: randomUUID(),
                conversationIds,
                reason: 'retention',
                requestedBy: 'retention',
                requestedAt: new Date().toISOString(),
              }),
            );
            result.commands += 1;
          }
          result.conversations += expired.length;
        }
        if (policy.attachmentDays > 0) result.attachmentReferences += await this.dropAttachmentReferences(m, policy);
      }
      this.log.info({ ...result }, 'retention sweep done');
      return result;
    });
  }

  /** Conversations whose last message (or, without messages, last change) is older than the period. */
  private async expiredConversations(m: EntityManager, policy: RetentionPeriods): Promise<string[]> {
    const rows: Array<{ id: string }> = await m.query(
      `select c.id from conversation.conversations c
         left join lateral (select max(x.created_at) as last from conversation.messages x where x.tenant_id = c.tenant_id and x.conversation_id = c.id) l on true
        where c.tenant_id = $1 and coalesce(l.last, c.updated_at) < now() - make_interval(days => $2)
        order by c.id limit $3`,
      [policy.tenantId, policy.conversationDays, MAX_PER_TENANT],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Switchboard stores no attachment bytes or URLs: a customer message records only how many
   * attachments came with it (metadata.attachments). That is the reference removed here.
   */
  private async dropAttachmentReferences(m: EntityManager, policy: RetentionPeriods): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await m.query(
      `with changed as (
         update conversation.messages set metadata = metadata - 'attachments'
          where tenant_id = $1 and role = 'customer' and metadata ? 'attachments' and metadata->'attachments' not in ('0', '[]') and created_at < now() - make_interval(days => $2)
         returning 1)
       select count(*)::int as n from changed`,
      [policy.tenantId, policy.attachmentDays],
    );
    return n;
  }
}
