// Runs a structured query's SQL against the facts and returns plain rows.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { KpiQuery } from './kpi-definitions';
import { buildKpiSql } from './kpi-sql';
import type { Row } from '../ask/chart';

const STATEMENT_TIMEOUT_MS = 15_000;

@Injectable()
export class KpiRepository {
  constructor(private readonly db: DataSource) {}

  async run(tenantId: string, query: KpiQuery, asOf: Date, timeZone = 'UTC'): Promise<Row[]> {
    const { sql, params } = buildKpiSql(tenantId, query, asOf, timeZone);
    // A bound on every question: one tenant's heavy query must not hold the partition it shares.
    const rows: Row[] = await this.db.transaction(async (m) => {
      await m.query(`set local statement_timeout = '${STATEMENT_TIMEOUT_MS}ms'`);
      return m.query(sql, params);
    });
    return rows.map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [
          k,
          typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && k !== 'period' && !isDimension(k) ? Number(v) : v,
        ]),
      ),
    );
  }
}

const isDimension = (k: string) => ['channel', 'intent', 'department', 'language', 'tier', 'agent'].includes(k);
