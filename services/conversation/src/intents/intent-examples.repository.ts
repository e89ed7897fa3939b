// A tenant's intent examples, stored whole: a support lead uploads the CSV again to change them.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { IntentExample } from '@switchboard/nlu';

export interface StoredIntentSet {
  revision: number;
  examples: IntentExample[];
}

@Injectable()
export class IntentExamplesRepository {
  constructor(private readonly db: DataSource) {}

  /** Replaces the tenant's examples and returns the new revision. */
  async replace(tenantId: string, examples: IntentExample[]): Promise<number> {
    return this.db.transaction(async (m) => {
      // Revisions are timestamps so they only grow, even across a delete and re-create.
      const [{ revision }] = await m.query<Array<{ revision: string }>>(
        `insert into conversation.intent_sets (tenant_id, revision) values ($1, (extract(epoch from clock_timestamp()) * 1000)::bigint)
         on conflict (tenant_id) do update set revision = greatest(conversation.intent_sets.revision + 1, excluded.revision), updated_at = now()
         returning revision`,
        [tenantId],
      );
      await m.query('delete from conversation.intent_examples where tenant_id = $1', [tenantId]);
      for (let start = 0; start < examples.length; start += 1000) {
        const slice = examples.slice(start, start + 1000);
        const values = slice.map((_, i) => `($1, $${i * 3 + 2}, $${i * 3 + 3}, $${i * 3 + 4})`).join(', ');
        await m.query(`insert into conversation.intent_examples (tenant_id, position, text, label) values ${values}`, [
          tenantId,
          ...slice.flatMap((e, i) => [start + i, e.text, e.label]),
        ]);
      }
      return Number(revision);
    });
  }

  /** The tenant's revision, or 0 when it has no examples of its own. */
  async revision(tenantId: string): Promise<number> {
    const rows: Array<{ revision: string }> = await this.db.query('select revision from conversation.intent_sets where tenant_id = $1', [
      tenantId,
    ]);
    return rows.length > 0 ? Number(rows[0].revision) : 0;
  }

  /** The tenant's own examples with their revision, read together; undefined when it has none. */
  async load(tenantId: string): Promise<StoredIntentSet | undefined> {
    const rows: Array<{ revision: string; text: string | null; label: string | null }> = await this.db.query(
      `select s.revision, e.text, e.label from conversation.intent_sets s
       left join conversation.intent_examples e on e.tenant_id = s.tenant_id
       where s.tenant_id = $1 order by e.position`,
      [tenantId],
    );
    if (rows.length === 0) return undefined;
    return {
      revision: Number(rows[0].revision),
      examples: rows.filter((r) => r.text !== null && r.label !== null).map((r) => ({ text: r.text!, label: r.label! })),
    };
  }
}
