// Tenants' style guides, one row per tenant, in the generation schema.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { create, StyleGuideSchema, type StyleGuide } from '@switchboard/contracts';

interface StyleGuideRow {
  tenant_id: string;
  tone: string;
  rules: string[];
  forbidden_promises: string[];
  sign_off: string;
  updated_at: Date;
}

@Injectable()
export class StyleGuideRepository {
  constructor(private readonly db: DataSource) {}

  async find(tenantId: string): Promise<StyleGuide | undefined> {
    const rows: StyleGuideRow[] = await this.db.query('select * from generation.style_guides where tenant_id = $1', [tenantId]);
    return rows[0] ? toStyleGuide(rows[0]) : undefined;
  }

  /** Replaces the tenant's guide; returns it as stored. */
  async save(guide: StyleGuide): Promise<StyleGuide> {
    const rows: StyleGuideRow[] = await this.db.query(
      `insert into generation.style_guides (tenant_id, tone, rules, forbidden_promises, sign_off, updated_at) values ($1, $2, $3, $4, $5, now())
       on conflict (tenant_id) do update set tone = excluded.tone, rules = excluded.rules, forbidden_promises = excluded.forbidden_promises,
         sign_off = excluded.sign_off, updated_at = excluded.updated_at
       returning *`,
      [guide.tenantId, guide.tone, guide.rules, guide.forbiddenPromises, guide.signOff],
    );
    return toStyleGuide(rows[0]);
  }
}

function toStyleGuide(row: StyleGuideRow): StyleGuide {
  return create(StyleGuideSchema, {
    tenantId: row.tenant_id,
    tone: row.tone,
    rules: row.rules,
    forbiddenPromises: row.forbidden_promises,
    signOff: row.sign_off,
    updatedAt: row.updated_at.toISOString(),
  });
}
