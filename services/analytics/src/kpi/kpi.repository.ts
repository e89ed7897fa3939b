// Runs a structured query's SQL against the facts and returns plain rows.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { KpiQuery } from './kpi-definitions';
import { buildKpiSql } from './kpi-sql';
import type { Row } from '../ask/chart';

@Injectable()
export class KpiRepository {
  constructor(private readonly db: DataSource) {}

  async run(tenantId: string, query: KpiQuery, asOf: Date): Promise<Row[]> {
    const { sql, params } = buildKpiSql(tenantId, query, asOf);
    const rows: Row[] = await this.db.query(sql, params);
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && k !== 'period' && !isDimension(k) ? Number(v) : v])));
  }
}

const isDimension = (k: string) => ['channel', 'intent', 'department', 'language', 'tier', 'agent'].includes(k);
