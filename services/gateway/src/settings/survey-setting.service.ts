// A tenant's survey setting: `offerOnResolve` makes the bot offer the satisfaction survey (1-5 and
// a comment) when the customer closes a conversation the bot answered. Like the identity policy,
// the gateway stamps it on each accepted message (InboundTurn.offer_survey_on_resolve), so a turn is
// judged by the setting in force when it arrived and the conversation service needs no call back.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Audited, AuditTrail } from '../audit/audit-trail.service';
import type { Principal } from '../auth/roles';
import { GatewayError } from '../gateway.errors';
import { tenantTurnSettings } from './tenant-turn-settings';

export interface SurveySetting {
  offerOnResolve: boolean;
}

const FIELDS = new Set(['offerOnResolve']);

/** The body of PUT /v1/settings/survey, or a 400 naming each wrong, missing or unknown field. */
export function parseSurveySetting(body: Record<string, unknown>): SurveySetting {
  const violations = Object.keys(body)
    .filter((k) => !FIELDS.has(k))
    .map((field) => ({ field, problem: 'is not a field of the survey setting (only offerOnResolve)' }));
  if (typeof body.offerOnResolve !== 'boolean') violations.push({ field: 'offerOnResolve', problem: 'is required: true or false' });
  if (violations.length > 0) throw GatewayError.invalid(violations);
  return { offerOnResolve: body.offerOnResolve as boolean };
}

@Injectable()
export class SurveySettingService {
  constructor(
    private readonly db: DataSource,
    readonly audit?: AuditTrail,
  ) {}

  /** The setting a message is accepted under (no tenant row: the default, off). */
  async of(tenantId: string): Promise<SurveySetting> {
    return { offerOnResolve: (await tenantTurnSettings(this.db, tenantId)).offerSurveyOnResolve };
  }

  @Audited('survey.setting.read', 'survey_setting')
  async get(caller: Principal): Promise<SurveySetting> {
    return this.of(caller.tenantId);
  }

  @Audited('survey.setting.put', 'survey_setting')
  async put(caller: Principal, body: Record<string, unknown>): Promise<SurveySetting> {
    const setting = parseSurveySetting(body);
    await this.db.query('update gateway.tenants set offer_survey_on_resolve = $2 where id = $1', [caller.tenantId, setting.offerOnResolve]);
    return this.of(caller.tenantId);
  }
}
