import type { MigrationInterface, QueryRunner } from 'typeorm';

// Day rollups of the conversation KPIs (kpi/kpi-days.ts): per tenant, local day and one dimension
// value, the counts the rates are made of and a histogram per duration. Triggers mark the hours a
// change touches as dirty in the change's own transaction, so no writer can forget to; queries read
// dirty days from the facts and clean ones from the rollups, and a refresher folds dirty days in.
// At 10M conversations the medians sorted every conversation of the period (10-13 s). The rating
// moves onto the conversation's row too (the first one, as analytics.ratings keeps it): CSAT joined
// every rating of the tenant.
export class KpiDays1788000000000 implements MigrationInterface {
  name = 'KpiDays1788000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('alter table analytics.conversations add column rating smallint');
    await runner.query(
      `update analytics.conversations c set rating = r.rating from analytics.ratings r
       where r.tenant_id = c.tenant_id and r.conversation_id = c.conversation_id`,
    );
    await runner.query(`
      create table analytics.kpi_days (
        tenant_id text not null,
        day date not null,
        dim text not null,
        value text not null,
        conversations int not null,
        handoffs int not null,
        bot_resolved int not null,
        resolved int not null,
        fcr_ok int not null,
        rated int not null,
        rating_sum int not null,
        rated_4_5 int not null,
        primary key (tenant_id, dim, day, value)
      )`);
    await runner.query(`
      create table analytics.kpi_day_durations (
        tenant_id text not null,
        day date not null,
        dim text not null,
        value text not null,
        measure text not null,
        buckets int[] not null,
        counts int[] not null,
        primary key (tenant_id, measure, dim, day, value)
      )`);
    // The zone the tenant's rollup days were cut in; rollups of another zone are not read.
    await runner.query(`
      create table analytics.kpi_day_state (
        tenant_id text primary key,
        time_zone text not null
      )`);
    // Append-only marks (never merged): a refresher deletes exactly the marks its snapshot saw, so
    // a change committed while it worked keeps its own mark for the next pass.
    await runner.query(`
      create table analytics.kpi_dirty (
        id bigserial primary key,
        tenant_id text not null,
        hour timestamptz not null
      )`);
    await runner.query('create index kpi_dirty_by_tenant on analytics.kpi_dirty (tenant_id)');
    await runner.query(`
      create function analytics.mark_kpi_hours() returns trigger language plpgsql as $$
      begin
        if tg_op <> 'DELETE' then
          insert into analytics.kpi_dirty (tenant_id, hour)
            select distinct tenant_id, date_trunc('hour', started_at) from new_rows where started_at is not null;
        end if;
        if tg_op <> 'INSERT' then
          insert into analytics.kpi_dirty (tenant_id, hour)
            select distinct tenant_id, date_trunc('hour', started_at) from old_rows where started_at is not null;
        end if;
        return null;
      end $$`);
    await runner.query(
      'create trigger conversations_kpi_insert after insert on analytics.conversations referencing new table as new_rows for each statement execute function analytics.mark_kpi_hours()',
    );
    await runner.query(
      'create trigger conversations_kpi_update after update on analytics.conversations referencing old table as old_rows new table as new_rows for each statement execute function analytics.mark_kpi_hours()',
    );
    await runner.query(
      'create trigger conversations_kpi_delete after delete on analytics.conversations referencing old table as old_rows for each statement execute function analytics.mark_kpi_hours()',
    );
    // The facts already recorded: every hour is dirty until the refresher has rolled it up.
    await runner.query(
      `insert into analytics.kpi_dirty (tenant_id, hour)
       select distinct tenant_id, date_trunc('hour', started_at) from analytics.conversations where started_at is not null`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const op of ['insert', 'update', 'delete']) await runner.query(`drop trigger conversations_kpi_${op} on analytics.conversations`);
    await runner.query('drop function analytics.mark_kpi_hours()');
    for (const table of ['kpi_dirty', 'kpi_day_state', 'kpi_day_durations', 'kpi_days'])
      await runner.query(`drop table analytics.${table}`);
  }
}
