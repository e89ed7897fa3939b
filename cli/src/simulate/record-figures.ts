// `switchboard simulate --record`: keeps the figures per intent where the conversation service
// reads them when it decides whether an intent's bot may act alone (docs/flows.md, "Autonomy"),
// with what they were measured against: the tenant's intent-examples revision (figures from older
// examples count as not measured), its knowledge-base revision, and the order flows' revision of the
// newest conversation process that started on this database (the one the simulator talked to,
// unless a rolling deployment is half done).
import { Client } from 'pg';
import type { IntentFigures } from './pass-k';

export interface RecordedFigures {
  intent: string;
  intentsRevision: number;
  knowledgeRevision: number;
  flowsRevision: string;
}

/** Writes one row per intent (the cross-intent "all" line is a summary, not an intent). */
export async function recordFigures(
  databaseUrl: string,
  tenantId: string,
  k: number,
  figures: IntentFigures[],
  measuredAt = new Date(),
): Promise<RecordedFigures[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const intentsRevision = await revision(db, 'select revision from conversation.intent_sets where tenant_id = $1', tenantId);
    // The retrieval schema exists wherever the stack's retrieval service has run; a stack without it has no knowledge base.
    const knowledgeRevision = (await tableExists(db, 'retrieval.tenant_revisions'))
      ? await revision(db, 'select revision from retrieval.tenant_revisions where tenant_id = $1', tenantId)
      : 0;
    const flows = await db.query<{ revision: string }>(
      'select revision from conversation.flows_revisions order by started_at desc limit 1',
    );
    // Without one, the figures match no running flows: they are stored but count as not measured.
    const flowsRevision = flows.rows[0]?.revision ?? '';
    const recorded: RecordedFigures[] = [];
    for (const f of figures.filter((f) => f.intent !== 'all')) {
      await db.query(
        `insert into conversation.intent_figures
           (tenant_id, intent, tasks, k, pass_1, pass_k, measured_at, intents_revision, knowledge_revision, flows_revision)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (tenant_id, intent) do update set tasks = excluded.tasks, k = excluded.k, pass_1 = excluded.pass_1,
           pass_k = excluded.pass_k, measured_at = excluded.measured_at, intents_revision = excluded.intents_revision,
           knowledge_revision = excluded.knowledge_revision, flows_revision = excluded.flows_revision`,
        [tenantId, f.intent, f.tasks, k, f.passAt1, f.passAtK, measuredAt, intentsRevision, knowledgeRevision, flowsRevision],
      );
      recorded.push({ intent: f.intent, intentsRevision, knowledgeRevision, flowsRevision });
    }
    return recorded;
  } finally {
    await db.end();
  }
}

async function revision(db: Client, query: string, tenantId: string): Promise<number> {
  const { rows } = await db.query<{ revision: string }>(query, [tenantId]);
  return rows.length > 0 ? Number(rows[0].revision) : 0;
}

async function tableExists(db: Client, name: string): Promise<boolean> {
  const { rows } = await db.query<{ found: string | null }>('select to_regclass($1) as found', [name]);
  return rows[0].found !== null;
}
