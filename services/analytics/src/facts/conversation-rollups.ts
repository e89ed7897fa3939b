// What the KPIs need of a conversation beyond its own events, kept on its row as facts arrive so
// that a KPI query scans conversations only (no per-row subqueries; see kpi-sql.ts):
//   next_same_intent_at  when this customer next started a conversation about the same intent
//                        (the "came back" of bot resolution and FCR); null when never, or when the
//                        customer or the intent is unknown (an erased customer is no one's repeat);
//   ticket_count, tickets_unresolved, tickets_resolved_at, ticket_reopens
//                        its tickets, folded: resolved when every ticket is, at the last resolution.
// Each function recomputes from the facts, so calling it again, or out of order, gives the same row.

/** Runs one statement: an EntityManager's or a pg client's `query`. */
export type Sql = (sql: string, params: unknown[]) => Promise<unknown>;

const NEXT_SAME_INTENT = `(
  select min(n.started_at) from analytics.conversations n
  where n.tenant_id = c.tenant_id and n.customer_id = c.customer_id and n.intent = c.intent
    and n.conversation_id <> c.conversation_id and n.started_at > c.started_at)`;

/** Recomputes `next_same_intent_at` for one customer's conversations about one intent. */
export async function relinkSameIntent(sql: Sql, tenantId: string, customerId: string, intent: string): Promise<void> {
  if (customerId === '' || intent === '') return;
  await sql(
    `update analytics.conversations c set next_same_intent_at = ${NEXT_SAME_INTENT}
     where c.tenant_id = $1 and c.customer_id = $2 and c.intent = $3`,
    [tenantId, customerId, intent],
  );
}

/** Folds a conversation's tickets onto its row. */
export async function refreshTicketRollup(sql: Sql, tenantId: string, conversationId: string): Promise<void> {
  await sql(
    `update analytics.conversations c set
       ticket_count = t.n, tickets_unresolved = t.unresolved, tickets_resolved_at = t.resolved_at, ticket_reopens = t.reopens
     from (
       select count(*)::int as n, count(*) filter (where resolved_at is null)::int as unresolved,
         max(resolved_at) as resolved_at, coalesce(sum(reopens), 0)::int as reopens
       from analytics.tickets where tenant_id = $1 and conversation_id = $2
     ) t
     where c.tenant_id = $1 and c.conversation_id = $2`,
    [tenantId, conversationId],
  );
}

/**
 * Rebuilds every rollup of a tenant (or of all tenants) in two set-wise statements: the migration
 * that introduced them, and the benchmark, which loads facts with SQL rather than through events.
 */
export async function rebuildRollups(sql: Sql, tenantId?: string): Promise<void> {
  const tenant = tenantId === undefined ? 'true' : 'tenant_id = $1';
  const params = tenantId === undefined ? [] : [tenantId];
  // The smallest later start in the same (tenant, customer, intent): the frame from this row on,
  // without this row's peers (same start), which the strict "later" of the definition excludes.
  await sql(
    `update analytics.conversations c set next_same_intent_at = x.next
     from (
       select tenant_id, conversation_id,
         min(started_at) over (partition by tenant_id, customer_id, intent order by started_at
           range between current row and unbounded following exclude group) as next
       from analytics.conversations where ${tenant} and customer_id <> '' and intent <> '' and started_at is not null
     ) x
     where c.tenant_id = x.tenant_id and c.conversation_id = x.conversation_id and x.next is not null`,
    params,
  );
  await sql(
    `update analytics.conversations c set
       ticket_count = t.n, tickets_unresolved = t.unresolved, tickets_resolved_at = t.resolved_at, ticket_reopens = t.reopens
     from (
       select tenant_id, conversation_id, count(*)::int as n, count(*) filter (where resolved_at is null)::int as unresolved,
         max(resolved_at) as resolved_at, coalesce(sum(reopens), 0)::int as reopens
       from analytics.tickets where ${tenant} and conversation_id is not null group by tenant_id, conversation_id
     ) t
     where c.tenant_id = t.tenant_id and c.conversation_id = t.conversation_id`,
    params,
  );
}
