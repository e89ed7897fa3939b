// Runs a structured query (run-kpi.ts: from the day rollups or the facts) and returns plain rows.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { KpiQuery } from './kpi-definitions';
import { runKpi } from './run-kpi';
import type { Row } from '../ask/chart';

const STATEMENT_TIMEOUT_MS = 15_000;

@Injectable()
export class KpiRepository {
  constructor(private readonly db: DataSource) {}

  async run(tenantId: string, query: KpiQuery, asOf: Date, timeZone = 'UTC'): Promise<Row[]> {
    // A bound on every question: one tenant's heavy query must not hold the partition it shares.
    const rows = await this.db.transaction('REPEATABLE READ', async (m) => {
      await m.query(`set local statement_timeout = '${STATEMENT_TIMEOUT_MS}ms'`);
      return (await runKpi((sql, params) => m.query(sql, params), tenantId, query, asOf, timeZone)).rows as Row[];
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
