import type { KpiQuery } from './kpi-definitions';
import { buildRollupSql, rollupsCanAnswer } from './kpi-days';

const query = (extra: Partial<KpiQuery>): KpiQuery => ({
  metric: 'transfer_rate',
  group_by: [],
  filters: {},
  from: '2026-11-01',
  to: '2026-11-08',
  grain: null,
  ...extra,
});

describe('day rollups SQL', () => {
  it('refuses a dimension that is not one of ours, even from a caller that did not check the query', () => {
    const smuggled = query({ filters: { "channel = '' or true; --": ['web'] } as KpiQuery['filters'] });
    // One dimension, so the rollups would answer it: the builder itself must refuse it.
    expect(rollupsCanAnswer(smuggled)).toBe(true);
    expect(() => buildRollupSql('acme', smuggled, 'UTC', [])).toThrow(/filters: .* must be one of/);
  });

  it('passes values as parameters, never in the SQL text', () => {
    const built = buildRollupSql('acme', query({ filters: { channel: ["web' or '1'='1"] } }), 'UTC', []);
    expect(built.sql).not.toContain("'1'='1");
    expect(built.params).toContainEqual(["web' or '1'='1"]);
  });
});
