// Answers a structured query: from the day rollups when they can (kpi-days.ts), else from the
// facts (kpi-sql.ts). Run it inside one REPEATABLE READ transaction, so the rollups, the dirty marks
// and the facts it reads are of one instant.
import type { KpiQuery } from './kpi-definitions';
import { buildRollupSql, rollupsCanAnswer, rollupState, type Query } from './kpi-days';
import { buildKpiSql } from './kpi-sql';

export interface KpiAnswer {
  rows: Array<Record<string, unknown>>;
  source: 'rollups' | 'facts';
}

export async function runKpi(query: Query, tenantId: string, q: KpiQuery, asOf: Date, timeZone: string): Promise<KpiAnswer> {
  if (rollupsCanAnswer(q)) {
    const state = await rollupState(query, tenantId, q, timeZone);
    // Rollups cut in another zone (before the refresher re-cut them) cannot answer.
    if (state.timeZone === timeZone) {
      const { sql, params } = buildRollupSql(tenantId, q, timeZone, state.dirtyDays);
      return { rows: await query(sql, params), source: 'rollups' };
    }
  }
  const { sql, params } = buildKpiSql(tenantId, q, asOf, timeZone);
  return { rows: await query(sql, params), source: 'facts' };
}
