// Each tenant's retention periods (conversation.retention_policies).
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export interface RetentionPeriods {
  tenantId: string;
  /** Conversations whose last message is older are erased; 0 keeps them. */
  conversationDays: number;
  /** Attachment references of older customer messages are removed; 0 keeps them. */
  attachmentDays: number;
}

interface Row {
  tenant_id: string;
  conversation_days: number;
  attachment_days: number;
}

const toPeriods = (r: Row): RetentionPeriods => ({
  tenantId: r.tenant_id,
  conversationDays: r.conversation_days,
  attachmentDays: r.attachment_days,
});

@Injectable()
export class RetentionPolicyRepository {
  constructor(private readonly db: DataSource) {}

  /** The tenant's periods; a tenant that never set any keeps everything (0, 0). */
  async get(tenantId: string): Promise<RetentionPeriods> {
    const rows: Row[] = await this.db.query(
      'select tenant_id, conversation_days, attachment_days from conversation.retention_policies where tenant_id = $1',
      [tenantId],
    );
    return rows[0] ? toPeriods(rows[0]) : { tenantId, conversationDays: 0, attachmentDays: 0 };
  }

  async put(periods: RetentionPeriods): Promise<RetentionPeriods> {
    await this.db.query(
      `insert into conversation.retention_policies (tenant_id, conversation_days, attachment_days) values ($1, $2, $3)
       on conflict (tenant_id) do update set conversation_days = excluded.conversation_days, attachment_days = excluded.attachment_days, updated_at = now()`,
      [periods.tenantId, periods.conversationDays, periods.attachmentDays],
    );
    return this.get(periods.tenantId);
  }

  /** Tenants with at least one period set: the sweep's work list. */
  async enforced(m: EntityManager): Promise<RetentionPeriods[]> {
    const rows: Row[] = await m.query(
      'select tenant_id, conversation_days, attachment_days from conversation.retention_policies where conversation_days > 0 or attachment_days > 0 order by tenant_id',
    );
    return rows.map(toPeriods);
  }
}
