import type { MigrationInterface, QueryRunner } from 'typeorm';

// A tenant's survey setting (settings/survey-setting.service.ts): whether the bot offers the
// satisfaction survey when the customer closes a conversation. Off by default: a tenant that never
// asked for it keeps the bot's replies as they were.
export class SurveySetting1786500000004 implements MigrationInterface {
  name = 'SurveySetting1786500000004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table gateway.tenants add column offer_survey_on_resolve boolean not null default false');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('alter table gateway.tenants drop column offer_survey_on_resolve');
  }
}
